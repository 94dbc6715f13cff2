using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>
/// Decides whether this node is one of the few that take a piece nobody around holds from the origin before it is
/// urgent, so the swarm can spread it ("a few nodes, super peers first, take each new piece from the origin").
/// Each node draws its own pseudo-random number per piece from its seed, so no coordination is needed, different
/// nodes seed different pieces (each then has something unique to trade), and the expected number of origin
/// copies per piece starts at <see cref="SchedulerSettings.OriginCopiesPerPiece"/> whatever the swarm's size.
/// A piece that still has no holder as its deadline nears draws more seeders: the probability doubles every
/// <see cref="SchedulerSettings.SeedEscalationDoubling"/> once the slack before the urgent zone falls under
/// <see cref="SchedulerSettings.SeedEscalation"/>, so an unlucky piece is seeded by one node before the whole
/// swarm finds it urgent at once. A new live segment nobody around holds any of also draws more seeders with its
/// age, whatever its deadline, so that with a long lag the swarm still holds every piece soon after it is published
/// (an origin outage then finds the data among the peers): one more expected seeder every
/// <see cref="SchedulerSettings.SeedAgeGrace"/>. That ramp is linear, not doubling, because a seeder takes a moment
/// to become visible beyond its own neighbours: a faster ramp would only add copies nobody needed.
/// </summary>
internal sealed class OriginSeeding(SchedulerSettings settings)
{
    /// <param name="swarmSize">The number of nodes watching, ourselves included.</param>
    /// <param name="superPeer">Super peers take a larger share.</param>
    /// <param name="slack">Time left before the piece enters the urgent zone.</param>
    /// <param name="age">How long ago the piece's segment appeared (zero when it is not new).</param>
    public double Probability(int swarmSize, bool superPeer, TimeSpan slack, TimeSpan age = default)
    {
        var copies = settings.OriginCopiesPerPiece;
        if (age > TimeSpan.Zero && settings.SeedAgeGrace > TimeSpan.Zero)
            copies = Math.Max(copies, age / settings.SeedAgeGrace);
        var share = copies / Math.Max(1, swarmSize);
        if (superPeer) share *= settings.SuperPeerSeedBoost;
        var late = slack == TimeSpan.MaxValue ? TimeSpan.Zero : settings.SeedEscalation - slack;
        if (late > TimeSpan.Zero && settings.SeedEscalationDoubling > TimeSpan.Zero)
            share *= Math.Pow(2, late / settings.SeedEscalationDoubling);
        return Math.Min(1.0, share);
    }

    /// <summary>
    /// Whether to take <paramref name="key"/> from the origin now. The draw is per segment, not per piece: origin bytes
    /// are verified by completing the segment's Merkle tree, so a seeder fetches its whole segment anyway, and drawing
    /// per piece would make nearly every node a seeder of some piece of every segment.
    /// </summary>
    public bool ShouldSeed(ulong nodeSeed, PieceId key, int swarmSize, bool superPeer, TimeSpan slack, TimeSpan age = default) =>
        SegmentDraw(nodeSeed, key.SegmentSequence) < Probability(swarmSize, superPeer, slack, age);

    /// <summary>
    /// The node's draw for a whole segment, which <see cref="ShouldSeed"/> compares with the probability; a scheduler
    /// that looks at many pieces of one segment draws once and compares each piece's probability with it.
    /// </summary>
    internal static double SegmentDraw(ulong nodeSeed, long segment) => Draw(nodeSeed, new PieceId(segment, 0));

    /// <summary>A uniform number in [0, 1) fixed by the node's seed and the piece (SplitMix64 finaliser over both).</summary>
    internal static double Draw(ulong nodeSeed, PieceId key)
    {
        var x = Mix(nodeSeed ^ Mix((ulong)key.SegmentSequence * 0x9E3779B97F4A7C15UL + (ulong)(uint)key.PieceIndex));
        return (x >> 11) / (double)(1UL << 53);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
