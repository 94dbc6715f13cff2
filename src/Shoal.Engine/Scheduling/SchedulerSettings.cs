namespace Shoal.Engine.Scheduling;

/// <summary>The scheduler's tuning, with named defaults; immutable, so a running swarm can be handed a new one whole.</summary>
public sealed record SchedulerSettings
{
    public static SchedulerSettings Default { get; } = new();

    /// <summary>
    /// How far behind the live edge the player starts. PPIO's "play from TS1, TS3 or TS5": more lag buys the
    /// peer window more time, so more offload; less lag means more pieces turn urgent and come from the origin.
    /// </summary>
    public TimeSpan LagBehindLive { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The share of the bytes given to the player that the origin may serve through non-urgent fetches (seeding
    /// new pieces into the swarm). Urgent fetches ignore it: a stall costs more than an origin byte.
    /// </summary>
    public double OriginShareLimit { get; init; } = 1.0;

    /// <summary>The urgent zone is never shorter than this before a piece's deadline.</summary>
    public TimeSpan MinimumUrgentHorizon { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>An urgent piece stays with a neighbour only if that request is expected to land this long before the deadline.</summary>
    public TimeSpan UrgentMargin { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The urgent zone is never longer than this, however slow the neighbours measure.</summary>
    public TimeSpan MaximumUrgentHorizon { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The urgent horizon is this many times the time one piece takes from a typical neighbour.</summary>
    public double UrgentSafetyFactor { get; init; } = 3.0;

    /// <summary>The peer window reaches at least this far past the playhead.</summary>
    public TimeSpan MinimumPeerWindow { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The peer window reaches at most this far past the playhead.</summary>
    public TimeSpan MaximumPeerWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Piece requests one neighbour may have outstanding at once.</summary>
    public int MaxRequestsInFlightPerNeighbour { get; init; } = 6;

    /// <summary>Piece requests a throttled (suspect) neighbour may have outstanding at once.</summary>
    public int ThrottledRequestsInFlight { get; init; } = 1;

    /// <summary>
    /// Origin range requests outstanding at once for seeding, and for everything a download takes from the origin (its
    /// deadlines are soft and its origin is often the bottleneck). Urgent playback ranges are not bounded: a stall costs more.
    /// </summary>
    public int MaxOriginRequestsInFlight { get; init; } = 4;

    /// <summary>End game: a duplicate request is sent only when it is expected to land this many times sooner than the original.</summary>
    public double EndGameGainFactor { get; init; } = 2.0;

    /// <summary>End game: at most this many requests for one piece at once.</summary>
    public int EndGameMaxRequestsPerPiece { get; init; } = 2;

    /// <summary>A request stalls when it is this many times later than its expected completion.</summary>
    public double StallFactor { get; init; } = 3.0;

    /// <summary>A request never stalls sooner than this after it was sent.</summary>
    public TimeSpan MinimumStallTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>An origin range counts as late once it has taken this many times the origin's smoothed answer time.</summary>
    public double OriginLateFactor { get; init; } = 3.0;

    /// <summary>An origin range never counts as late sooner than this after it was sent.</summary>
    public TimeSpan MinimumOriginLateness { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Adjacent urgent pieces are coalesced into one origin range up to this many bytes.</summary>
    public long MaxOriginRangeBytes { get; init; } = 1 << 20;

    /// <summary>
    /// How many nodes of the swarm, on average, take each piece nobody holds from the origin before it is urgent
    /// ("a few nodes take each new piece from the origin and the swarm spreads it").
    /// </summary>
    public double OriginCopiesPerPiece { get; init; } = 1.5;

    /// <summary>A super peer takes this many times its share of new pieces from the origin.</summary>
    public double SuperPeerSeedBoost { get; init; } = 4.0;

    /// <summary>A piece nobody around holds draws more origin seeders once its slack before the urgent zone is below this.</summary>
    public TimeSpan SeedEscalation { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// A new live segment nobody around holds any of draws one more expected origin seeder every this long after it
    /// appeared, whatever its deadline: the swarm then holds each piece soon after it is published, so an origin outage
    /// finds it among the peers.
    /// </summary>
    public TimeSpan SeedAgeGrace { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// A download waiting on a segment nobody around holds draws more seeders this many times more slowly than a new
    /// live segment (<see cref="SeedAgeGrace"/>): it has no deadline, and its origin is often slow, so patience costs less.
    /// </summary>
    public double DownloadSeedSlowdown { get; init; } = 10;

    /// <summary>While escalating, the seeding probability doubles every this long.</summary>
    public TimeSpan SeedEscalationDoubling { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The rate assumed for a neighbour not yet measured, bytes per second.</summary>
    public double UnmeasuredNeighbourRate { get; init; } = 256 * 1024;

    /// <summary>The round-trip time assumed for a neighbour not yet measured.</summary>
    public TimeSpan UnmeasuredRtt { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Deadlines this close together count as equal, and rarest-first decides between them.</summary>
    public TimeSpan DeadlineTieWindow { get; init; } = TimeSpan.FromSeconds(1);
}
