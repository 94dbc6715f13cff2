namespace Shoal.Engine.Scheduling;

/// <summary>Names one piece of a resource: its segment's sequence number and its index within that segment.</summary>
public readonly record struct PieceKey(long Segment, int Index) : IComparable<PieceKey>
{
    public int CompareTo(PieceKey other)
    {
        var bySegment = Segment.CompareTo(other.Segment);
        return bySegment != 0 ? bySegment : Index.CompareTo(other.Index);
    }

    public static bool operator <(PieceKey a, PieceKey b) => a.CompareTo(b) < 0;

    public static bool operator >(PieceKey a, PieceKey b) => a.CompareTo(b) > 0;

    public static bool operator <=(PieceKey a, PieceKey b) => a.CompareTo(b) <= 0;

    public static bool operator >=(PieceKey a, PieceKey b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Segment}/{Index}";
}
