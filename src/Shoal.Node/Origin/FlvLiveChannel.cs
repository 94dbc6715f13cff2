using System.Buffers.Binary;

namespace Shoal.Node.Origin;

/// <summary>
/// Replays an FLV file as an endless HTTP-FLV live stream in real time: each connection gets the FLV header and the
/// sequence headers (onMetaData, AVC and AAC configuration) first, then the media tags from the latest keyframe on air,
/// paced by their timestamps on the <see cref="TimeProvider"/>; the file loops with timestamps that keep increasing.
/// </summary>
public sealed class FlvLiveChannel
{
    // FLV spec §E.2-E.4: a 9-byte header, then PreviousTagSize0, then tags of 11 header bytes + data + 4-byte PreviousTagSize.
    private const int FileHeaderSize = 9;
    private const int PreviousTagSizeLength = 4;
    private const int TagHeaderSize = 11;
    private const uint LoopGapMs = 40;

    private readonly byte[] _file;
    private readonly int _headerLength;
    private readonly List<FlvTag> _sequenceTags = [];
    private readonly List<FlvTag> _mediaTags = [];
    private readonly uint _loopMs;
    private readonly TimeProvider _time;
    private readonly long _start;

    private FlvLiveChannel(byte[] file, int headerLength, TimeProvider time)
    {
        _file = file;
        _headerLength = headerLength;
        _time = time;
        _start = time.GetTimestamp();
        var offset = headerLength;
        while (offset + TagHeaderSize + PreviousTagSizeLength <= file.Length)
        {
            var type = (byte)(file[offset] & 0x1F);
            var dataSize = (file[offset + 1] << 16) | (file[offset + 2] << 8) | file[offset + 3];
            var length = TagHeaderSize + dataSize + PreviousTagSizeLength;
            if (dataSize < 0 || offset + length > file.Length)
            {
                break;
            }

            var timestamp = (uint)((file[offset + 7] << 24) | (file[offset + 4] << 16) | (file[offset + 5] << 8) | file[offset + 6]);
            var data = file.AsSpan(offset + TagHeaderSize, dataSize);

            // FLV spec §E.4.2/E.4.3: AVC packet type 0 and AAC packet type 0 are the decoder configurations.
            var sequenceHeader = type == FlvTag.Script
                || (type == FlvTag.Video && data.Length > 1 && (data[0] & 0x0F) == 7 && data[1] == 0)
                || (type == FlvTag.Audio && data.Length > 1 && (data[0] >> 4) == 10 && data[1] == 0);
            var keyframe = type == FlvTag.Video && data.Length > 0 && (data[0] >> 4) == 1;
            var tag = new FlvTag(offset, length, type, timestamp, keyframe, sequenceHeader);
            (sequenceHeader ? _sequenceTags : _mediaTags).Add(tag);
            offset += length;
        }

        _loopMs = (_mediaTags.Count == 0 ? 0 : _mediaTags.Max(t => t.Timestamp)) + LoopGapMs;
    }

    public int MediaTagCount => _mediaTags.Count;

    public static bool TryLoad(string path, TimeProvider time, out FlvLiveChannel? channel, out string error)
    {
        ArgumentNullException.ThrowIfNull(time);
        channel = null;
        if (!File.Exists(path))
        {
            error = $"the FLV file '{path}' does not exist";
            return false;
        }

        var file = File.ReadAllBytes(path);
        if (file.Length < FileHeaderSize + PreviousTagSizeLength || file[0] != 'F' || file[1] != 'L' || file[2] != 'V')
        {
            error = $"'{path}' is not an FLV file";
            return false;
        }

        var headerSize = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(5));
        if (headerSize < FileHeaderSize || headerSize + PreviousTagSizeLength > file.Length)
        {
            error = $"'{path}' has a malformed FLV header";
            return false;
        }

        channel = new FlvLiveChannel(file, (int)headerSize + PreviousTagSizeLength, time);
        if (channel._mediaTags.Count == 0 || !channel._mediaTags.Any(t => t.IsKeyframe))
        {
            error = $"'{path}' has no video keyframe to start a live stream from";
            channel = null;
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Streams the channel to one viewer until <paramref name="cancellationToken"/> fires.</summary>
    public async Task StreamAsync(Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var now = NowMs();
        var loop = now / _loopMs;
        var intoLoop = (uint)(now % _loopMs);

        // A late joiner starts at the latest keyframe already on air (the first one when none has aired in this loop).
        var index = _mediaTags.FindLastIndex(t => t.IsKeyframe && t.Timestamp <= intoLoop);
        if (index < 0)
        {
            index = _mediaTags.FindIndex(t => t.IsKeyframe);
        }

        await output.WriteAsync(_file.AsMemory(0, _headerLength), cancellationToken).ConfigureAwait(false);
        var startTs = (loop * _loopMs) + _mediaTags[index].Timestamp;
        foreach (var tag in _sequenceTags)
        {
            await WriteTagAsync(output, tag, startTs, cancellationToken).ConfigureAwait(false);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var tag = _mediaTags[index];
            var due = (loop * _loopMs) + tag.Timestamp;
            var wait = (long)due - NowMs();
            if (wait > 0)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(wait), _time, cancellationToken).ConfigureAwait(false);
            }

            await WriteTagAsync(output, tag, due, cancellationToken).ConfigureAwait(false);
            if (++index == _mediaTags.Count)
            {
                index = 0;
                loop++;
            }
        }
    }

    private long NowMs() => (long)_time.GetElapsedTime(_start).TotalMilliseconds;

    private async Task WriteTagAsync(Stream output, FlvTag tag, long timestamp, CancellationToken cancellationToken)
    {
        var bytes = _file.AsMemory(tag.Offset, tag.Length).ToArray();

        // FLV spec §E.4.1: 24 low bits of the timestamp, then TimestampExtended as the upper 8 bits.
        var ts = (uint)timestamp;
        bytes[4] = (byte)(ts >> 16);
        bytes[5] = (byte)(ts >> 8);
        bytes[6] = (byte)ts;
        bytes[7] = (byte)(ts >> 24);
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }
}
