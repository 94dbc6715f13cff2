namespace Shoal.Node.Storage;

/// <summary>How a segment of known length is cut into pieces (SEAMS.md: 16 KiB pieces, the last one may be short).</summary>
public readonly record struct SegmentLayout(long Length, int PieceSize)
{
    public const int DefaultPieceSize = 16 * 1024;

    public int PieceCount => Length == 0 ? 0 : (int)((Length + PieceSize - 1) / PieceSize);

    public long PieceOffset(int index) => (long)index * PieceSize;

    public int PieceLength(int index) => (int)Math.Min(PieceSize, Length - PieceOffset(index));

    public bool IsValidPiece(int index, int length) =>
        index >= 0 && index < PieceCount && length == PieceLength(index);
}
