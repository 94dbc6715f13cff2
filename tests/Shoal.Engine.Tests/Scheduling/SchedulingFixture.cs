using Shoal.Core.Content;
using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Tests.Scheduling;

/// <summary>Small builders shared by the scheduler's tests.</summary>
internal static class SchedulingFixture
{
    public const int PieceSize = 16 * 1024;

    /// <summary>Segments of 4 pieces and 2 s each, back to back from media time 0.</summary>
    public static List<SegmentTiming> Segments(int count, int piecesPerSegment = 4, double duration = 2.0) =>
        Enumerable.Range(0, count)
            .Select(i => new SegmentTiming(i, (long)piecesPerSegment * PieceSize, PieceSize, i * duration, duration))
            .ToList();

    public static Instant At(double seconds) => Instant.FromSeconds(seconds);

    public static NeighbourView Neighbour(int id, double rate = 1_000_000, double rttMs = 20, bool choking = false, bool throttled = false) =>
        new(new NeighbourId(id), TimeSpan.FromMilliseconds(rttMs), rate, choking, throttled);

    public static SwarmAvailability Availability(IReadOnlyList<SegmentTiming> segments) =>
        new(s => segments.FirstOrDefault(t => t.Sequence == s)?.PieceCount);

    /// <summary>
    /// The same answers as <paramref name="inner"/>, plus the holder masks the flow simulator gives: bit i for
    /// <paramref name="order"/>[i], the neighbours in the order the pass lists them.
    /// </summary>
    public sealed class MaskedAvailability(IPieceAvailability inner, IReadOnlyList<NeighbourView> order) : IPieceAvailability
    {
        public bool Has(NeighbourId neighbour, PieceId key) => inner.Has(neighbour, key);

        public int HolderCount(PieceId key) => inner.HolderCount(key);

        public bool TryGetHolders(PieceId key, out ulong holders)
        {
            holders = 0;
            for (var i = 0; i < order.Count; i++)
                if (inner.Has(order[i].Id, key)) holders |= 1UL << i;
            return true;
        }
    }

    /// <summary>A node's own pieces, as a set.</summary>
    public sealed class Holdings(IReadOnlyList<SegmentTiming> segments) : IPieceHoldings
    {
        public HashSet<PieceId> Pieces { get; } = [];

        public bool Has(PieceId key) => Pieces.Contains(key);

        public bool IsComplete(long segment) =>
            segments.FirstOrDefault(s => s.Sequence == segment) is { } t && Enumerable.Range(0, t.PieceCount).All(i => Pieces.Contains(new PieceId(segment, i)));
    }
}
