namespace Shoal.Core.Content;

/// <summary>Names one piece of a resource: the segment's sequence number and the piece's index inside the segment.</summary>
public readonly record struct PieceId(long SegmentSequence, int PieceIndex) : IComparable<PieceId>
{
    public int CompareTo(PieceId other)
    {
        var bySegment = SegmentSequence.CompareTo(other.SegmentSequence);
        return bySegment != 0 ? bySegment : PieceIndex.CompareTo(other.PieceIndex);
    }

    public static bool operator <(PieceId left, PieceId right) => left.CompareTo(right) < 0;

    public static bool operator >(PieceId left, PieceId right) => left.CompareTo(right) > 0;

    public static bool operator <=(PieceId left, PieceId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PieceId left, PieceId right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{SegmentSequence}/{PieceIndex}";
}
