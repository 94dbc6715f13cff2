using Shoal.Dht.Bencode;

namespace Shoal.Dht;

/// <summary>Tuning of a <see cref="DhtNode"/>; the defaults follow BEP 5 where it names a figure.</summary>
public sealed record DhtOptions
{
    public static DhtOptions Default { get; } = new();

    /// <summary>BEP 5: "Each bucket can only hold K nodes, currently eight".</summary>
    public int BucketSize { get; init; } = 8;

    /// <summary>Kademlia's α: queries a lookup keeps in flight at once.</summary>
    public int Alpha { get; init; } = 3;

    /// <summary>How long a query waits for its response before the node counts as failed.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>BEP 5: a node without activity for 15 minutes becomes questionable.</summary>
    public TimeSpan QuestionableAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>BEP 5: a node that fails to respond to "multiple queries in a row" is bad.</summary>
    public int FailuresBeforeBad { get; init; } = 2;

    /// <summary>BEP 5: a bucket unchanged for 15 minutes is refreshed with a lookup of a random id in its range.</summary>
    public TimeSpan BucketRefreshInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often housekeeping runs: refresh checks, peer expiry, re-bootstrap of an empty table.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>BEP 5: the token secret changes every five minutes and tokens up to ten minutes old are accepted.</summary>
    public TimeSpan TokenSecretRotation { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Announced peers are forgotten after 30 minutes unless they announce again.</summary>
    public TimeSpan PeerTimeToLive { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Peers kept per info-hash; the oldest is replaced when full.</summary>
    public int MaxPeersPerInfoHash { get; init; } = 200;

    /// <summary>Info-hashes stored at all; new ones are refused when full, so a flood cannot grow memory.</summary>
    public int MaxInfoHashes { get; init; } = 10_000;

    /// <summary>Peers returned in one get_peers response (a random sample when more are stored).</summary>
    public int MaxValuesPerResponse { get; init; } = 32;

    /// <summary>
    /// No response is larger than this multiple of its request (anti-amplification); values or nodes are
    /// trimmed until it fits. A minimal get_peers query is about 95 bytes, a full answer about 330.
    /// </summary>
    public int MaxAmplification { get; init; } = 4;

    /// <summary>Datagrams larger than this are dropped unread: KRPC messages fit well within one Ethernet MTU.</summary>
    public int MaxDatagramBytes { get; init; } = 1500;

    /// <summary>Token bucket per source IP address: sustained datagrams per second.</summary>
    public double RateLimitPerSecond { get; init; } = 20;

    /// <summary>Token bucket per source IP address: burst size.</summary>
    public double RateLimitBurst { get; init; } = 64;

    /// <summary>
    /// Whether loopback sources are rate limited too. Off by default: a datagram from 127.0.0.0/8 or ::1 comes
    /// from this host (the kernel drops such sources arriving from outside), and nodes on one host for tests and
    /// demos all share that address.
    /// </summary>
    public bool RateLimitLoopback { get; init; }

    /// <summary>Source addresses whose rate is tracked at once; new addresses are refused past it until some go idle.</summary>
    public int MaxTrackedAddresses { get; init; } = 10_000;

    /// <summary>Candidates a lookup keeps (the closest ones); farther unqueried ones are dropped.</summary>
    public int MaxLookupCandidates { get; init; } = 64;

    /// <summary>
    /// Times a lookup asks the same node before giving up on it: one lost datagram should not push a lookup
    /// off the true closest nodes (and so miss the peers announced there).
    /// </summary>
    public int LookupQueryAttempts { get; init; } = 2;

    /// <summary>Queries a single lookup may send in all, a guard against a lookup that never converges.</summary>
    public int MaxQueriesPerLookup { get; init; } = 200;

    /// <summary>Datagrams waiting for the driver; beyond it new ones are dropped (the driver is not keeping up).</summary>
    public int MaxQueuedDatagrams { get; init; } = 4096;

    public BencodeLimits BencodeLimits { get; init; } = BencodeLimits.Default;
}
