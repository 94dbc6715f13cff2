using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.State;

/// <summary>
/// Everything a tracker instance keeps: swarms (announce, scrape, expiry), URL mappings, signed manifests, the
/// super-peer registry's reports and pending push jobs. The in-memory store serves one instance; the Redis store
/// lets several instances share one state so that losing one loses nothing.
/// </summary>
/// <remarks>
/// The swarm methods sit on the UDP hot path: implementations complete synchronously when they can (the
/// in-memory store always does) and never allocate per call on that path.
/// </remarks>
public interface ITrackerStore
{
    /// <summary>
    /// Records an announce (a <see cref="AnnounceEvent.Stopped"/> removes the peer) and fills <paramref name="sample"/>
    /// with up to <paramref name="sampleSize"/> members and super peers to choose a peer list from.
    /// </summary>
    ValueTask<SwarmCounts> AnnounceAsync(Rid rid, PeerRecord peer, AnnounceEvent announceEvent, int sampleSize, PeerSample sample, DateTimeOffset now, CancellationToken cancellationToken = default);

    ValueTask<SwarmCounts> ScrapeAsync(Rid rid, DateTimeOffset now, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<SwarmSummary>> ListSwarmsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Drops peers that have not re-announced within the peer lifetime; returns how many went.</summary>
    ValueTask<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    ValueTask PutMappingAsync(ResourceMapping mapping, CancellationToken cancellationToken = default);

    ValueTask<ResourceMapping?> GetMappingAsync(Rid rid, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<ResourceMapping>> ListMappingsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a signed manifest of a resource (the envelope of Shoal.Core.Manifests.SignedManifest) under its update
    /// number (0 for content on demand); it becomes the latest. The store keeps the recent updates of a live
    /// manifest so a node that missed some can fetch each one in order.
    /// </summary>
    ValueTask PutManifestAsync(Rid rid, long updateNumber, ReadOnlyMemory<byte> signedManifest, CancellationToken cancellationToken = default);

    /// <summary>The latest signed manifest, or the one with <paramref name="updateNumber"/>; null when unknown.</summary>
    ValueTask<byte[]?> GetManifestAsync(Rid rid, long? updateNumber = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The secret behind connection ids, shared by every instance on this store: the first instance's
    /// <paramref name="candidate"/> wins, so any instance accepts ids any other issued.
    /// </summary>
    ValueTask<byte[]> GetOrCreateSecretAsync(byte[] candidate, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes or extends a named lease for <paramref name="owner"/> until <paramref name="ttl"/> from now; false while
    /// another owner holds it. Keeps one instance in charge of each hash-oracle feed, and lets another take over
    /// when that instance dies.
    /// </summary>
    ValueTask<bool> TryHoldLeaseAsync(string name, string owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken = default);

    ValueTask PutNodeStatusAsync(NodeStatus status, CancellationToken cancellationToken = default);

    ValueTask<NodeStatus?> GetNodeStatusAsync(PeerId node, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<NodeStatus>> ListNodesAsync(CancellationToken cancellationToken = default);

    ValueTask AddPushJobAsync(PeerId node, PushJob job, CancellationToken cancellationToken = default);

    /// <summary>Returns and forgets the push jobs waiting for <paramref name="node"/>.</summary>
    ValueTask<IReadOnlyList<PushJob>> TakePushJobsAsync(PeerId node, CancellationToken cancellationToken = default);
}
