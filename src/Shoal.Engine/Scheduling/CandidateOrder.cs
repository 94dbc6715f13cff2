namespace Shoal.Engine.Scheduling;

/// <summary>
/// The peer window's order: earliest deadline first; among deadlines in the same tie window, rarest first (fewest
/// holders), so rare pieces spread before they become urgent; then by deadline and key so the order is total.
/// </summary>
internal sealed class CandidateOrder(Instant now, TimeSpan tieWindow) : IComparer<PieceCandidate>
{
    public int Compare(PieceCandidate x, PieceCandidate y)
    {
        var byBucket = Bucket(x.Deadline).CompareTo(Bucket(y.Deadline));
        if (byBucket != 0) return byBucket;
        var byRarity = x.Holders.CompareTo(y.Holders);
        if (byRarity != 0) return byRarity;
        var byDeadline = x.Deadline.CompareTo(y.Deadline);
        return byDeadline != 0 ? byDeadline : x.Key.CompareTo(y.Key);
    }

    private long Bucket(Instant deadline) =>
        tieWindow <= TimeSpan.Zero ? deadline.Microseconds : (long)Math.Floor((deadline - now) / tieWindow);
}
