using System.Net;
using Shoal.Engine.Swarming;

namespace Shoal.Node.Swarming;

/// <summary>How a node joins swarms: where it listens, how often it asks the tracker, how long a player may wait.</summary>
public sealed record SwarmHostOptions
{
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

    /// <summary>Updates fetched one by one to close a gap in a live manifest's chain; a larger gap re-anchors it.</summary>
    public int MaxManifestCatchUp { get; init; } = 30;

    /// <summary>The seed of the engine's random choices, so a node's behaviour can be replayed.</summary>
    public int Seed { get; init; } = Environment.ProcessId;

    /// <summary>Builds each swarm's engine options.</summary>
    public SwarmOptions EngineOptions(Shoal.Core.Identity.Rid rid)
    {
        var options = new SwarmOptions(rid) { SuperPeer = SuperPeer, NodeSeed = (ulong)(uint)Seed };
        options = options with { Scheduler = options.Scheduler with { LagBehindLive = LagBehindLive } };
        if (UploadBytesPerSecond is { } rate)
        {
            options = options with { Upload = options.Upload with { LimitBytesPerSecond = rate } };
        }

        return options;
    }
}
