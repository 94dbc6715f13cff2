using Shoal.Core.Content;

namespace Shoal.Engine.Scheduling;

/// <summary>
/// Everything one planning pass looks at; between passes the scheduler keeps only its request book, the origin's
/// measured answer time and when each new segment appeared.
/// </summary>
/// <param name="Now">The current instant.</param>
/// <param name="Segments">The segments the player may still need, in playback order.</param>
/// <param name="Playhead">The player's position and rate.</param>
/// <param name="Holdings">The pieces already held.</param>
/// <param name="Availability">Which neighbour holds what.</param>
/// <param name="Neighbours">The neighbours and their measurements.</param>
/// <param name="SwarmSize">How many nodes watch this resource, ourselves included (from the tracker, or the neighbour count).</param>
/// <param name="SuperPeer">True on a super peer.</param>
/// <param name="NodeSeed">This node's seed for its seeding draws.</param>
/// <param name="OriginShare">Share of the bytes given to the player so far that came from the origin.</param>
/// <param name="OriginClosure">
/// Widens a set of pieces bound for the origin to what is needed to verify them (the swarm's Merkle tree state); null
/// leaves it as it is.
/// </param>
/// <param name="OriginFailing">
/// True from a failed origin range until one succeeds: urgent pieces are raced on the neighbours, and the driver lets
/// only a paced probe through to the origin.
/// </param>
/// <param name="Download">
/// True for a download (a plain file): no deadline is hard, so there is no urgent zone; every missing piece is fetched
/// rarest first, and the origin serves as a bounded seed of the segments nobody around holds.
/// </param>
internal sealed record ScheduleInput(
    Instant Now,
    IReadOnlyList<SegmentTiming> Segments,
    Playhead Playhead,
    IPieceHoldings Holdings,
    IPieceAvailability Availability,
    IReadOnlyList<NeighbourView> Neighbours,
    int SwarmSize,
    bool SuperPeer,
    ulong NodeSeed,
    double OriginShare,
    Func<IReadOnlyList<PieceId>, IEnumerable<PieceId>>? OriginClosure = null,
    bool OriginFailing = false,
    bool Download = false);
