using System.Net;
using Shoal.Core.Manifests;
using Shoal.Engine.Scheduling;
using Shoal.Engine.Swarming;

namespace Shoal.Node.Swarming;

/// <summary>How a node joins swarms: where it listens, how often it asks the tracker, how long a player may wait.</summary>
public sealed record SwarmHostOptions
{
    private static readonly TimeSpan MinimumSeedEscalation = TimeSpan.FromSeconds(0.5);

    /// <summary>The UDP address of the first swarm; later swarms take a free port on the same address.</summary>
    public IPEndPoint Bind { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>This node serves more and is preferred by others (DESIGN.md, super peers).</summary>
    public bool SuperPeer { get; init; }

    /// <summary>The lag behind live the scheduler plans for: more lag, more time in the peer window, more offload.</summary>
    public TimeSpan LagBehindLive { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upload limit in bytes per second; null for the engine's default.</summary>
    public double? UploadBytesPerSecond { get; init; }

    /// <summary>How often a live manifest is fetched again.</summary>
    public TimeSpan ManifestPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the tracker is asked for peers (it may ask for less often).</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A segment the swarm has not finished within this time is taken from the origin directly.</summary>
    public TimeSpan SegmentTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a player's first request waits for the resource's first manifest before going direct.</summary>
    public TimeSpan ManifestWait { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>After the tracker could not map a resource, it is served directly and not asked about again for this long.</summary>
    public TimeSpan RetryMappingAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Verified bytes of a plain file a swarm keeps in memory behind the reader, so a finished download can be served to
    /// peers whole (the engine keeps pieces in memory; a larger file is served from its last this-many bytes).
    /// </summary>
    public long FileRetainBytes { get; init; } = 512L << 20;

    /// <summary>Updates fetched one by one to close a gap in a live manifest's chain; a larger gap re-anchors it.</summary>
    public int MaxManifestCatchUp { get; init; } = 30;

    /// <summary>
    /// The seed of the engine's random choices (give one to replay a node's behaviour). Random per node by default:
    /// nodes that drew alike (several in one process, as in tests or an app that embeds them) would all seed the same
    /// segments from the origin and leave the others to nobody.
    /// </summary>
    public int Seed { get; init; } = System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary>
    /// Origin copies per new piece a node aims at before escalation: low, because in a real swarm the escalation below
    /// already staggers the seeders by their draws (the lowest draw crosses first and its HAVE stops the others); a
    /// share of 1.5 makes two or three nodes of a small swarm take the same segment from the origin at once.
    /// </summary>
    public double OriginCopiesPerPiece { get; init; } = 0.3;

    /// <summary>How fast a piece nobody holds draws more seeders once its slack is under the escalation time.</summary>
    public TimeSpan SeedEscalationDoubling { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>
    /// How far ahead of its deadline a file slice is asked for when a reader reaches it: the swarm's playhead is put this
    /// far before the slice, so peers get the first pieces before any turns urgent (an urgent piece the node cannot
    /// verify alone pulls the whole slice from the origin).
    /// </summary>
    public TimeSpan FileLead { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after joining a file's swarm its readers may wait for a neighbour that holds the slice they want (only
    /// at the start, and only when the tracker named peers): the peers need a moment to connect and announce.
    /// </summary>
    public TimeSpan FileNeighbourWait { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Seeding settings for a plain file: about one node takes each slice nobody holds from the origin (a lone
    /// downloader takes them all), different nodes different slices, which they then trade; escalation only in the
    /// last moments before the reader would wait.
    /// </summary>
    public static SchedulerSettings FileSeeding(SchedulerSettings scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return scheduler with
        {
            OriginCopiesPerPiece = 1.0,
            SeedEscalation = TimeSpan.FromSeconds(0.25),
            SeedEscalationDoubling = TimeSpan.FromSeconds(0.25),
            // A slice is large: keep enough requests in flight to fill the path to a neighbour, not one live segment's worth.
            MaxRequestsInFlightPerNeighbour = 32,
        };
    }

    /// <summary>
    /// Seeding settings that fit this node's lag: a live segment reaches the node about two manifest polls after it
    /// airs (the oracle's poll, then the node's), so of the lag only lag − 2 polls − the urgent horizon is left before
    /// the segment turns urgent; seeding escalates within that slack (the simulator's 4 s assumes a 10 s lag, and at a
    /// shorter lag it would make every node seed every segment at once).
    /// </summary>
    public SchedulerSettings SeedingFor(SchedulerSettings scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var slack = LagBehindLive - (2 * ManifestPollInterval) - scheduler.MinimumUrgentHorizon;
        var escalation = TimeSpan.FromTicks(Math.Clamp(slack.Ticks, MinimumSeedEscalation.Ticks, scheduler.SeedEscalation.Ticks));
        return scheduler with
        {
            OriginCopiesPerPiece = OriginCopiesPerPiece,
            SeedEscalation = escalation,
            SeedEscalationDoubling = SeedEscalationDoubling,
        };
    }

    /// <summary>Builds each swarm's engine options.</summary>
    public SwarmOptions EngineOptions(Shoal.Core.Identity.Rid rid, ResourceKind kind = ResourceKind.HlsLive)
    {
        var options = new SwarmOptions(rid) { SuperPeer = SuperPeer, NodeSeed = (ulong)(uint)Seed };
        if (kind == ResourceKind.File)
        {
            options = options with
            {
                RetainBehindPlayhead = TimeSpan.FromSeconds(FileRetainBytes / options.FileByteRate),
                Scheduler = FileSeeding(options.Scheduler),
                // LEDBAT's window never grows past what is in flight: a small upload queue caps a file transfer at a
                // fraction of the path (32 KiB per round trip).
                UploadQueueBytesPerChannel = 256 * 1024,
            };
        }
        else
        {
            options = options with { Scheduler = SeedingFor(options.Scheduler) with { LagBehindLive = LagBehindLive } };
        }

        if (UploadBytesPerSecond is { } rate)
        {
            options = options with { Upload = options.Upload with { LimitBytesPerSecond = rate } };
        }

        return options;
    }
}
