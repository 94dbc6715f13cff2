using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Shoal.Node.Storage;

/// <summary>
/// The on-disk record of one piece. A record carries its own SHA-256 over header and payload, so a record torn by
/// kill -9 or a power cut (a short tail, zeros, stale sectors) fails the check on load and is discarded rather
/// than served.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------------------------------------------------------+
/// |                        magic "SHP1"                           |  0
/// |                     piece index (u32 BE)                      |  4
/// |                   payload length (u32 BE)                     |  8
/// |                 segment's piece size (u32 BE)                 | 12
/// |                  segment length (u64 BE)  ...                 | 16
/// |          SHA-256(bytes 0..23 ‖ payload), 32 bytes ...         | 24
/// |                        payload ...                            | 56
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
internal static class PieceRecord
{
    public const int MagicOffset = 0;
    public const int PieceIndexOffset = 4;
    public const int PayloadLengthOffset = 8;
    public const int PieceSizeOffset = 12;
    public const int SegmentLengthOffset = 16;
    public const int HashOffset = 24;
    public const int HeaderSize = 56;
    public const int HashedHeaderSize = HashOffset;

    /// <summary>Bounds what a header may claim before anything is allocated for it.</summary>
    public const int MaxPieceSize = 1024 * 1024;
    public const long MaxSegmentLength = 16L * 1024 * 1024;

    private const uint Magic = 0x53485031; // "SHP1"

    public static int RecordSize(int payloadLength) => HeaderSize + payloadLength;

    public static void Write(Span<byte> destination, int pieceIndex, SegmentLayout layout, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination[MagicOffset..], Magic);
        BinaryPrimitives.WriteUInt32BigEndian(destination[PieceIndexOffset..], (uint)pieceIndex);
        BinaryPrimitives.WriteUInt32BigEndian(destination[PayloadLengthOffset..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[PieceSizeOffset..], (uint)layout.PieceSize);
        BinaryPrimitives.WriteUInt64BigEndian(destination[SegmentLengthOffset..], (ulong)layout.Length);
        payload.CopyTo(destination[HeaderSize..]);
        Hash(destination[..HashedHeaderSize], payload, destination.Slice(HashOffset, SHA256.HashSizeInBytes));
    }

    /// <summary>Checks a header alone: magic, and lengths within bounds and consistent with each other.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int pieceIndex, out int payloadLength, out SegmentLayout layout)
    {
        pieceIndex = 0;
        payloadLength = 0;
        layout = default;
        if (header.Length < HeaderSize || BinaryPrimitives.ReadUInt32BigEndian(header[MagicOffset..]) != Magic)
        {
            return false;
        }

        var index = BinaryPrimitives.ReadUInt32BigEndian(header[PieceIndexOffset..]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[PayloadLengthOffset..]);
        var pieceSize = BinaryPrimitives.ReadUInt32BigEndian(header[PieceSizeOffset..]);
        var segmentLength = BinaryPrimitives.ReadUInt64BigEndian(header[SegmentLengthOffset..]);
        if (pieceSize == 0 || pieceSize > MaxPieceSize || segmentLength == 0 || segmentLength > MaxSegmentLength || index > int.MaxValue)
        {
            return false;
        }

        layout = new SegmentLayout((long)segmentLength, (int)pieceSize);
        if (!layout.IsValidPiece((int)index, (int)Math.Min(length, int.MaxValue)))
        {
            return false;
        }

        pieceIndex = (int)index;
        payloadLength = (int)length;
        return true;
    }

    public static bool Verify(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(header[..HashedHeaderSize], payload, hash);
        return CryptographicOperations.FixedTimeEquals(hash, header.Slice(HashOffset, SHA256.HashSizeInBytes));
    }

    private static void Hash(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(header);
        sha.AppendData(payload);
        sha.GetHashAndReset(destination);
    }
}
