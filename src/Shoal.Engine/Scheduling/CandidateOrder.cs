namespace Shoal.Engine.Scheduling;

/// <summary>
/// The peer window's order: earliest deadline first; among deadlines in the same tie window, rarest first (fewest
/// holders), so rare pieces spread before they become urgent; among equally rare ones a per-node pseudo-random order
/// (BitTorrent's random tie-break), so neighbours served by the same peer ask it for different pieces and then have
/// something to trade; then by deadline and key so the order is total. Pieces due later than
/// <paramref name="rarestBeyond"/> all share one last tie window: a download passes <see cref="TimeSpan.MinValue"/>,
/// so its whole file goes rarest first (BitTorrent's order), whatever the nominal deadlines. Live playback does not:
/// measured at 30 s of lag, rarest first for far pieces filled the neighbours' request slots with pieces few held
/// and left the ones due next to the origin.
/// </summary>
internal sealed class CandidateOrder(Instant now, TimeSpan tieWindow, ulong nodeSeed = 0, TimeSpan? rarestBeyond = null) : IComparer<PieceCandidate>
{
    public int Compare(PieceCandidate x, PieceCandidate y)
    {
        var byBucket = Bucket(x.Deadline).CompareTo(Bucket(y.Deadline));
        if (byBucket != 0) return byBucket;
        var byRarity = x.Holders.CompareTo(y.Holders);
        if (byRarity != 0) return byRarity;
        if (nodeSeed != 0)
        {
            var byDraw = OriginSeeding.Draw(nodeSeed, x.Key).CompareTo(OriginSeeding.Draw(nodeSeed, y.Key));
            if (byDraw != 0) return byDraw;
        }
        var byDeadline = x.Deadline.CompareTo(y.Deadline);
        return byDeadline != 0 ? byDeadline : x.Key.CompareTo(y.Key);
    }

    private long Bucket(Instant deadline) =>
        rarestBeyond is { } beyond && deadline - now >= beyond ? long.MaxValue
        : tieWindow <= TimeSpan.Zero ? deadline.Microseconds
        : (long)Math.Floor((deadline - now) / tieWindow);
}
