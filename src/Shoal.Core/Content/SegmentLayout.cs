namespace Shoal.Core.Content;

/// <summary>
/// How one segment of a given length is cut into pieces and chunks: fixed-size pieces of a power-of-two number of
/// chunks (so each piece is an aligned subtree of the segment's Merkle tree), the last piece and chunk possibly short.
/// </summary>
public readonly record struct SegmentLayout
{
    /// <summary>The default piece: 16 chunks, 16 KiB.</summary>
    public const int DefaultPieceSize = 16 * ChunkAddressing.ChunkSize;

    /// <summary>The largest piece size accepted (a whole segment slot).</summary>
    public const int MaxPieceSize = (int)ChunkAddressing.MaxSegmentLength;

    /// <summary>Creates the layout; throws when the length or piece size breaks the rules of <see cref="Validate"/>.</summary>
    public SegmentLayout(long length, int pieceSize = DefaultPieceSize)
    {
        if (Validate(length, pieceSize) is { } error)
        {
            throw new ArgumentException(error);
        }

        Length = length;
        PieceSize = pieceSize;
    }

    /// <summary>The segment's length in bytes (0 to 16 MiB).</summary>
    public long Length { get; }

    /// <summary>The piece size in bytes: a power of two, at least one chunk.</summary>
    public int PieceSize { get; }

    public int ChunksPerPiece => PieceSize >> ChunkAddressing.ChunkSizeBits;

    /// <summary>Pieces in the segment (0 for an empty segment, and for the default value).</summary>
    public int PieceCount => PieceSize == 0 ? 0 : (int)((Length + PieceSize - 1) / PieceSize);

    public int ChunkCount => (int)ChunkAddressing.ChunkCount(Length);

    /// <summary>Null when the pair is valid, else the reason it is not.</summary>
    public static string? Validate(long length, int pieceSize)
    {
        if (length < 0 || length > ChunkAddressing.MaxSegmentLength)
        {
            return $"A segment is 0 to {ChunkAddressing.MaxSegmentLength} bytes long, not {length}.";
        }

        return ValidatePieceSize(pieceSize);
    }

    /// <summary>Null when the piece size is valid, else the reason it is not.</summary>
    public static string? ValidatePieceSize(int pieceSize) =>
        pieceSize < ChunkAddressing.ChunkSize || pieceSize > MaxPieceSize || (pieceSize & (pieceSize - 1)) != 0
            ? $"A piece size is a power of two from {ChunkAddressing.ChunkSize} to {MaxPieceSize} bytes, not {pieceSize}."
            : null;

    /// <summary>Byte offset of a piece inside the segment.</summary>
    public long PieceOffset(int pieceIndex) => (long)CheckPiece(pieceIndex) * PieceSize;

    /// <summary>Length of a piece: <see cref="PieceSize"/>, or less for the last one.</summary>
    public int PieceLength(int pieceIndex) => (int)Math.Min(PieceSize, Length - PieceOffset(pieceIndex));

    /// <summary>The piece's subtree in the segment's own Merkle tree.</summary>
    public Bin PieceBin(int pieceIndex) =>
        Bin.FromLayerOffset(System.Numerics.BitOperations.Log2((uint)ChunksPerPiece), CheckPiece(pieceIndex));

    /// <summary>The piece holding byte <paramref name="offset"/> of the segment.</summary>
    public int PieceAt(long offset)
    {
        if (offset < 0 || offset >= Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The segment has {Length} bytes.");
        }

        return (int)(offset / PieceSize);
    }

    private int CheckPiece(int pieceIndex) =>
        (uint)pieceIndex < (uint)PieceCount
            ? pieceIndex
            : throw new ArgumentOutOfRangeException(nameof(pieceIndex), pieceIndex, $"The segment has {PieceCount} pieces.");
}
