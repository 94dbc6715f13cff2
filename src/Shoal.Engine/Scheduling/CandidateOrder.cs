namespace Shoal.Engine.Scheduling;

/// <summary>
/// The peer window's order: earliest deadline first; among deadlines in the same tie window, rarest first (fewest
/// holders), so rare pieces spread before they become urgent; among equally rare ones a per-node pseudo-random order
/// (BitTorrent's random tie-break), so neighbours served by the same peer ask it for different pieces and then have
/// something to trade; then by deadline and key so the order is total. Pieces due later than
/// <paramref name="rarestBeyond"/> all share one last tie window: a download passes <see cref="TimeSpan.MinValue"/>,
/// so its whole file goes rarest first (BitTorrent's order), whatever the nominal deadlines. Live playback does not:
/// measured at 30 s of lag, rarest first for far pieces filled the neighbours' request slots with pieces few held
/// and left the ones due next to the origin. A value, as every pass of every node makes one.
/// </summary>
internal readonly struct CandidateOrder(Instant now, TimeSpan tieWindow, ulong nodeSeed = 0, TimeSpan? rarestBeyond = null) : IComparer<PieceCandidate>
{
    /// <summary>
    /// Sorts <paramref name="candidates"/> into this order by sort keys worked out once per candidate, not twice per
    /// comparison: a download's pass sorts hundreds of candidates, and the comparisons' draws and buckets were most of it.
    /// <paramref name="keys"/> is the caller's scratch. The order is total, so the result is exactly what
    /// <see cref="Compare"/> gives.
    /// </summary>
    public void Sort(List<PieceCandidate> candidates, ref CandidateSortKey[] keys)
    {
        var count = candidates.Count;
        if (count < 2) return;
        if (keys.Length < count) keys = new CandidateSortKey[Math.Max(count, keys.Length * 2)];
        var items = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates);
        for (var i = 0; i < count; i++) keys[i] = KeyOf(items[i]);
        keys.AsSpan(0, count).Sort(items);
    }

    public int Compare(PieceCandidate x, PieceCandidate y) => KeyOf(x).CompareTo(KeyOf(y));

    /// <summary>The candidate's place in this order (without a node seed, every draw is 0 and the tie goes on to the deadline).</summary>
    private CandidateSortKey KeyOf(PieceCandidate c) =>
        new(Bucket(c.Deadline), c.Holders, nodeSeed != 0 ? OriginSeeding.Draw(nodeSeed, c.Key) : 0, c.Deadline, c.Key);

    private long Bucket(Instant deadline) =>
        rarestBeyond is { } beyond && deadline - now >= beyond ? long.MaxValue
        : tieWindow <= TimeSpan.Zero ? deadline.Microseconds
        : (long)Math.Floor((deadline - now) / tieWindow);
}
