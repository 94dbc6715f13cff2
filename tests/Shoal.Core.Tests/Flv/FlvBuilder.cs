using System.Buffers.Binary;

namespace Shoal.Core.Tests.Flv;

/// <summary>Writes synthetic FLV streams tag by tag (Adobe FLV v10.1 annex E), for tests.</summary>
internal sealed class FlvBuilder
{
    private readonly MemoryStream _stream = new();

    public List<long> TagOffsets { get; } = [];

    public FlvBuilder Header()
    {
        _stream.Write([(byte)'F', (byte)'L', (byte)'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0]);
        return this;
    }

    public FlvBuilder Metadata() => Tag(18, 0, [2, 0, 10, .. "onMetaData"u8, 8, 0, 0, 0, 0, 0, 0, 9]);

    public FlvBuilder AvcSequenceHeader(long timestamp = 0) => Tag(9, timestamp, [0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff]);

    public FlvBuilder AacSequenceHeader(long timestamp = 0) => Tag(8, timestamp, [0xAF, 0, 0x12, 0x10]);

    public FlvBuilder Video(long timestamp, bool keyframe, int size, byte fill = 0x42)
    {
        var data = new byte[Math.Max(size, 5)];
        data.AsSpan().Fill(fill);
        data[0] = (byte)(keyframe ? 0x17 : 0x27);
        data[1] = 1; // AVC NALU
        return Tag(9, timestamp, data);
    }

    public FlvBuilder Audio(long timestamp, int size, byte fill = 0x21)
    {
        var data = new byte[Math.Max(size, 2)];
        data.AsSpan().Fill(fill);
        data[0] = 0xAF;
        data[1] = 1; // AAC raw
        return Tag(8, timestamp, data);
    }

    public FlvBuilder Tag(byte type, long timestamp, ReadOnlySpan<byte> data)
    {
        TagOffsets.Add(_stream.Position);
        Span<byte> header = stackalloc byte[11];
        header[0] = type;
        header[1] = (byte)(data.Length >> 16);
        header[2] = (byte)(data.Length >> 8);
        header[3] = (byte)data.Length;
        header[4] = (byte)(timestamp >> 16);
        header[5] = (byte)(timestamp >> 8);
        header[6] = (byte)timestamp;
        header[7] = (byte)(timestamp >> 24);
        _stream.Write(header);
        _stream.Write(data);
        Span<byte> previous = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(previous, (uint)(11 + data.Length));
        _stream.Write(previous);
        return this;
    }

    public byte[] ToArray() => _stream.ToArray();

    /// <summary>A stream of GOPs: a keyframe every <paramref name="gopMs"/>, frames every 40 ms, audio every 23 ms.</summary>
    public static FlvBuilder Live(long startMs, long endMs, long gopMs, Func<long, int> frameSize, bool withPrefix = true)
    {
        var builder = new FlvBuilder().Header();
        if (withPrefix)
        {
            builder.Metadata().AvcSequenceHeader().AacSequenceHeader();
        }

        long nextAudio = startMs;
        for (var t = startMs; t < endMs; t += 40)
        {
            while (nextAudio <= t)
            {
                builder.Audio(nextAudio, 200, (byte)nextAudio);
                nextAudio += 23;
            }

            builder.Video(t, keyframe: (t - startMs) % gopMs == 0, frameSize(t), (byte)(t / 40));
        }

        return builder;
    }
}
