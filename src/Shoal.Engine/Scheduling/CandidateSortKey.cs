using Shoal.Core.Content;

namespace Shoal.Engine.Scheduling;

/// <summary>A candidate's place in the <see cref="CandidateOrder"/>, worked out once: compared field by field, in that order.</summary>
internal readonly record struct CandidateSortKey(long Bucket, int Holders, double Draw, Instant Deadline, PieceId Key) : IComparable<CandidateSortKey>
{
    public int CompareTo(CandidateSortKey other)
    {
        var byBucket = Bucket.CompareTo(other.Bucket);
        if (byBucket != 0) return byBucket;
        var byRarity = Holders.CompareTo(other.Holders);
        if (byRarity != 0) return byRarity;
        var byDraw = Draw.CompareTo(other.Draw);
        if (byDraw != 0) return byDraw;
        var byDeadline = Deadline.CompareTo(other.Deadline);
        return byDeadline != 0 ? byDeadline : Key.CompareTo(other.Key);
    }
}
