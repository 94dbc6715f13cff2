using Shoal.Core.Identity;
using Shoal.Engine.Channels;
using Shoal.Engine.Peers;
using Shoal.Engine.Scheduling;
using Shoal.Engine.Uploading;

namespace Shoal.Engine.Swarming;

/// <summary>Everything a <see cref="Swarm"/> is configured with: the resource, its role, and each strategy's settings.</summary>
/// <param name="Rid">The resource (and RFC 7574 swarm id).</param>
public sealed record SwarmOptions(Rid Rid)
{
    public SchedulerSettings Scheduler { get; init; } = SchedulerSettings.Default;

    public MembershipSettings Membership { get; init; } = MembershipSettings.Default;

    public PeerPolicySettings PeerPolicy { get; init; } = PeerPolicySettings.Default;

    public UploadSettings Upload { get; init; } = UploadSettings.Default;

    public ChannelTableOptions Channels { get; init; } = ChannelTableOptions.Default;

    /// <summary>A super peer: more upload slots, a larger share of new pieces from the origin, preferred by others.</summary>
    public bool SuperPeer { get; init; }

    /// <summary>This node's seed for its per-piece draws (origin seeding, tie-breaks); the driver owns it.</summary>
    public ulong NodeSeed { get; init; } = 1;

    /// <summary>How often the scheduler runs when nothing else wakes it.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the neighbour set, choking, the discard window and the metrics snapshot are revised.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The scheduler runs at most this often, however many pieces arrive.</summary>
    public TimeSpan MinimumPlanInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Verified segments further than this behind the playhead are dropped (the live discard window).</summary>
    public TimeSpan RetainBehindPlayhead { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>For a plain file (no durations): the byte rate that turns offsets into deadlines.</summary>
    public double FileByteRate { get; init; } = 1 << 20;

    /// <summary>DATA bytes one channel may have queued before the next requested piece is handed to it.</summary>
    public int UploadQueueBytesPerChannel { get; init; } = 32 * 1024;

    /// <summary>Pieces a neighbour may have waiting in our upload queue; further requests are ignored.</summary>
    public int MaxUploadQueuePieces { get; init; } = 64;

    /// <summary>
    /// While the origin fails (from a failed range until one succeeds), one range probes it at most this often, so an
    /// outage is not hammered and its end is noticed soon.
    /// </summary>
    public TimeSpan OriginRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Events kept for <see cref="Swarm.TryPollEvent"/> when the driver does not drain them; the oldest go first.</summary>
    public int MaxQueuedEvents { get; init; } = 10_000;

    /// <summary>
    /// Fault injection for the simulator only: this node flips a byte in every piece it uploads, to play a polluter.
    /// </summary>
    public bool CorruptUploads { get; init; }
}
