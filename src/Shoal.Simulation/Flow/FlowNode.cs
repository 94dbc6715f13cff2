using Shoal.Engine;
using Shoal.Engine.Peers;
using Shoal.Engine.Scheduling;
using Shoal.Engine.Uploading;

namespace Shoal.Simulation.Flow;

/// <summary>
/// One simulated viewer: its access link, reachability and place on the map; the engine's real strategies for the
/// session (<see cref="PieceScheduler"/>, <see cref="Membership"/>, <see cref="Unchoker"/>); its neighbours and upload
/// queues; its player; and the figures it accumulates over all its sessions.
/// </summary>
internal sealed class FlowNode(int index, double upBytesPerSecond, double downBytesPerSecond, bool superPeer, bool noInbound, double x, double y)
{
    public int Index { get; } = index;

    public NeighbourId Id => IdOf(Index);

    public static NeighbourId IdOf(int index) => new(index + 1);

    public double UpBytesPerSecond { get; } = upBytesPerSecond;

    public double DownBytesPerSecond { get; } = downBytesPerSecond;

    public bool SuperPeer { get; } = superPeer;

    public bool NoInbound { get; } = noInbound;

    public double X { get; } = x;

    public double Y { get; } = y;

    public ulong Seed { get; init; }

    // ---- The session ----

    public bool Online { get; set; }

    public int Session { get; set; }

    public Instant SessionStart { get; set; }

    public NodeHoldings? Holdings { get; set; }

    public PieceScheduler? Scheduler { get; set; }

    public Membership? Membership { get; set; }

    public Unchoker? Unchoker { get; set; }

    public LinkTable Links { get; } = new();

    public List<Transfer> OriginTransfers { get; } = [];

    public Instant LastPlan { get; set; }

    public Instant NextPlanDue { get; set; } = Instant.MaxValue;

    public Instant LastAnnounce { get; set; }

    public int SwarmSize { get; set; } = 1;

    // ---- The player ----

    public PlayerState State { get; set; }

    public long Segment { get; set; }

    public Instant StateSince { get; set; }

    public Instant SegmentPlayStart { get; set; }

    public Instant? PlaybackStart { get; set; }

    public Playhead Playhead { get; set; }

    /// <summary>Bumped whenever the player moves on its own (segment start, seek), so stale segment-end events are ignored.</summary>
    public long PlayToken { get; set; }

    /// <summary>File downloads: segments held whole.</summary>
    public int CompleteSegments { get; set; }

    // ---- Figures over every session ----

    public long BytesToPlayer { get; set; }

    public long BytesFromOrigin { get; set; }

    public long BytesFromPeers { get; set; }

    public long BytesUploaded { get; set; }

    public long RequestStalls { get; set; }

    public long EndGameDuplicates { get; set; }

    public long OriginRanges { get; set; }

    public long UrgentOriginRanges { get; set; }

    public int Stalls { get; set; }

    /// <summary>Times the player fell out of the live window and jumped back to the live start position.</summary>
    public int LiveJumps { get; set; }

    public double StallSeconds { get; set; }

    public double WatchedSeconds { get; set; }

    public double OnlineSeconds { get; set; }

    public List<double> Startups { get; } = [];

    public List<double> Seeks { get; } = [];

    public double LagSum { get; set; }

    public int LagCount { get; set; }

    public List<double> Completions { get; } = [];

    public int Sessions { get; set; }
}
