using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Shoal.Core.Content;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;

namespace Shoal.Core.Manifests;

/// <summary>
/// The canonical binary form of a <see cref="Manifest"/>: one byte string per manifest, so a signature is over
/// well-defined bytes. Big-endian throughout. The decoder accepts only the canonical form and says why it refuses
/// anything else.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-------------------------------------------------------------+
/// |                       magic "SHMF"                          |
/// +---------------+---------------+---------------+-------------+
/// |  version = 1  |     kind      | hash function | reserved = 0|
/// +---------------+---------------+---------------+-------------+
/// |                   chunk size (u32) = 1024                   |
/// |                        piece size (u32)                     |
/// |                       RID (20 bytes)                        |
/// |                      update number (u64)                    |
/// |            previous update digest (32 bytes, SHA-256)       |
/// |                      segment count (u32)                    |
/// +-------------------------------------------------------------+
/// segment: sequence (u64) | flags (u8: 1 = offset, 2 = duration; others 0) | [offset (u64)] |
///          length (u32) | [duration in microseconds (u64)] | URI length (u16) | URI (UTF-8) | Merkle root
/// </code>
/// </remarks>
public static class ManifestCodec
{
    /// <summary>The format version this code writes and reads.</summary>
    public const byte Version = 1;

    private const int HeaderLength = 4 + 4 + 4 + 4 + Rid.Length + 8 + Manifest.UpdateDigestLength + 4;
    private const int MinSegmentLength = 8 + 1 + 4 + 2;
    private const byte OffsetFlag = 1;
    private const byte DurationFlag = 2;
    private static ReadOnlySpan<byte> Magic => "SHMF"u8;

    /// <summary>The canonical bytes of <paramref name="manifest"/>.</summary>
    public static byte[] Encode(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var hashSize = MerkleHash.Size(manifest.HashFunction);
        var length = HeaderLength;
        foreach (var segment in manifest.Segments)
        {
            length += MinSegmentLength + hashSize + Encoding.UTF8.GetByteCount(segment.Uri)
                + (segment.Offset is null ? 0 : 8) + (segment.Duration is null ? 0 : 8);
        }

        var bytes = new byte[length];
        var w = new SpanWriter(bytes);
        w.Write(Magic);
        w.WriteByte(Version);
        w.WriteByte((byte)manifest.Kind);
        w.WriteByte((byte)manifest.HashFunction);
        w.WriteByte(0);
        w.WriteUInt32((uint)manifest.ChunkSize);
        w.WriteUInt32((uint)manifest.PieceSize);
        manifest.Rid.WriteTo(w.Take(Rid.Length));
        w.WriteUInt64((ulong)manifest.UpdateNumber);
        w.Write(manifest.PreviousUpdate.Span);
        w.WriteUInt32((uint)manifest.Segments.Count);
        foreach (var segment in manifest.Segments)
        {
            w.WriteUInt64((ulong)segment.Sequence);
            w.WriteByte((byte)((segment.Offset is null ? 0 : OffsetFlag) | (segment.Duration is null ? 0 : DurationFlag)));
            if (segment.Offset is { } offset)
            {
                w.WriteUInt64((ulong)offset);
            }

            w.WriteUInt32((uint)segment.Length);
            if (segment.Duration is { } duration)
            {
                w.WriteUInt64((ulong)(duration.Ticks / TimeSpan.TicksPerMicrosecond));
            }

            var uriLength = Encoding.UTF8.GetBytes(segment.Uri, w.Take(0, rest: true)[2..]);
            w.WriteUInt16((ushort)uriLength);
            w.Skip(uriLength);
            w.Write(segment.Root.Span);
        }

        return bytes;
    }

    /// <summary>Decodes canonical manifest bytes; on failure says why, and never throws.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, out Manifest manifest, out string error)
    {
        manifest = null!;
        if (source.Length < HeaderLength)
        {
            error = $"A manifest is at least {HeaderLength} bytes; got {source.Length}.";
            return false;
        }

        if (!source.StartsWith(Magic))
        {
            error = "Not a Shoal manifest (the magic bytes are not \"SHMF\").";
            return false;
        }

        var r = new SpanReader(source[Magic.Length..]);
        var version = r.ReadByte();
        if (version != Version)
        {
            error = $"Manifest format version {version} is not supported (this build reads version {Version}).";
            return false;
        }

        var kind = (ResourceKind)r.ReadByte();
        var function = (MerkleHashFunction)r.ReadByte();
        if (!Enum.IsDefined(kind))
        {
            error = $"Unknown resource kind {(byte)kind}.";
            return false;
        }

        if (!MerkleHash.IsSupported(function))
        {
            error = $"Unsupported Merkle hash function {(byte)function}.";
            return false;
        }

        if (r.ReadByte() != 0)
        {
            error = "The reserved header byte is not zero.";
            return false;
        }

        var chunkSize = r.ReadUInt32();
        if (chunkSize != ChunkAddressing.ChunkSize)
        {
            error = $"Chunk size {chunkSize} is not supported (only {ChunkAddressing.ChunkSize}).";
            return false;
        }

        var pieceSize = r.ReadUInt32();
        if (pieceSize > int.MaxValue || SegmentLayout.ValidatePieceSize((int)pieceSize) is not null)
        {
            error = $"Piece size {pieceSize} is not a power of two from {ChunkAddressing.ChunkSize} to {SegmentLayout.MaxPieceSize}.";
            return false;
        }

        var rid = Rid.FromBytes(r.Read(Rid.Length));
        var updateNumber = r.ReadUInt64();
        if (updateNumber > long.MaxValue)
        {
            error = $"The update number {updateNumber} is out of range.";
            return false;
        }

        var previous = new Digest(r.Read(Manifest.UpdateDigestLength));
        var count = r.ReadUInt32();
        var hashSize = MerkleHash.Size(function);
        if (count > (ulong)r.Remaining / (ulong)(MinSegmentLength + hashSize))
        {
            error = $"The manifest claims {count} segments but has room for at most {r.Remaining / (MinSegmentLength + hashSize)}.";
            return false;
        }

        var segments = new SegmentEntry[count];
        for (var i = 0; i < segments.Length; i++)
        {
            if (!TryReadSegment(ref r, hashSize, out segments[i], out error))
            {
                error = $"Segment {i}: {error}";
                return false;
            }
        }

        if (r.Remaining != 0)
        {
            error = $"{r.Remaining} bytes follow the last segment.";
            return false;
        }

        try
        {
            manifest = new Manifest(rid, kind, segments, (int)pieceSize, function, (long)updateNumber, previous);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool TryReadSegment(ref SpanReader r, int hashSize, out SegmentEntry segment, out string error)
    {
        segment = null!;
        if (r.Remaining < MinSegmentLength + hashSize)
        {
            error = "truncated.";
            return false;
        }

        var sequence = r.ReadUInt64();
        var flags = r.ReadByte();
        if ((flags & ~(OffsetFlag | DurationFlag)) != 0)
        {
            error = $"unknown flags 0x{flags:x2}.";
            return false;
        }

        var extra = ((flags & OffsetFlag) != 0 ? 8 : 0) + ((flags & DurationFlag) != 0 ? 8 : 0);
        if (r.Remaining < MinSegmentLength - 9 + extra + hashSize)
        {
            error = "truncated.";
            return false;
        }

        ulong? offset = (flags & OffsetFlag) != 0 ? r.ReadUInt64() : null;
        var length = r.ReadUInt32();
        ulong? micros = (flags & DurationFlag) != 0 ? r.ReadUInt64() : null;
        var uriLength = r.ReadUInt16();
        if (r.Remaining < uriLength + hashSize)
        {
            error = $"the URI of {uriLength} bytes and the root do not fit in the {r.Remaining} bytes left.";
            return false;
        }

        var uriBytes = r.Read(uriLength);
        if (!Utf8.IsValid(uriBytes))
        {
            error = "the URI is not valid UTF-8.";
            return false;
        }

        if (sequence > long.MaxValue || offset > long.MaxValue || micros > (ulong)(TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond))
        {
            error = "a sequence, offset or duration is out of range.";
            return false;
        }

        segment = new SegmentEntry(
            (long)sequence,
            Encoding.UTF8.GetString(uriBytes),
            (long?)offset,
            length,
            micros is { } m ? TimeSpan.FromTicks((long)m * TimeSpan.TicksPerMicrosecond) : null,
            new Digest(r.Read(hashSize)));
        error = string.Empty;
        return true;
    }

    private ref struct SpanWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _position;

        public Span<byte> Take(int length, bool rest = false)
        {
            var span = rest ? _buffer[_position..] : _buffer.Slice(_position, length);
            _position += rest ? 0 : length;
            return span;
        }

        public void Skip(int length) => _position += length;

        public void Write(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

        public void WriteByte(byte value) => Take(1)[0] = value;

        public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);

        public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);

        public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);
    }

    // Every read is preceded by a length check in the decoder, so the reader itself trusts its caller.
    private ref struct SpanReader(ReadOnlySpan<byte> source)
    {
        private ReadOnlySpan<byte> _rest = source;

        public readonly int Remaining => _rest.Length;

        public ReadOnlySpan<byte> Read(int length)
        {
            var span = _rest[..length];
            _rest = _rest[length..];
            return span;
        }

        public byte ReadByte() => Read(1)[0];

        public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Read(2));

        public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Read(4));

        public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Read(8));
    }
}
