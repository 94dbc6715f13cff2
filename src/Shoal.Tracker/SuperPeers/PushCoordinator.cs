using System.Security.Cryptography;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;

namespace Shoal.Tracker.SuperPeers;

/// <summary>
/// Push (warm-up): an operator names a resource; the coordinator picks the best live super peers (upload capacity,
/// then success rate) and queues a job for each, which they collect at their next report or job poll.
/// </summary>
public sealed class PushCoordinator
{
    private readonly ITrackerStore _store;
    private readonly SuperPeerRegistry _registry;
    private readonly TimeProvider _time;

    public PushCoordinator(ITrackerStore store, SuperPeerRegistry registry, TimeProvider time)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Queues a warm-up of <paramref name="rid"/> on up to <paramref name="fanOut"/> super peers; returns the job and who got it.</summary>
    public async ValueTask<(PushJob Job, IReadOnlyList<PeerId> Assigned)> PushAsync(Rid rid, string? originUrl, int? fanOut, CancellationToken cancellationToken = default)
    {
        var count = Math.Max(1, fanOut ?? _registry.Options.DefaultPushFanOut);
        var job = new PushJob(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), rid, originUrl, _time.GetUtcNow());
        var chosen = (await _registry.ListSuperPeersAsync(cancellationToken).ConfigureAwait(false)).Take(count).Select(n => n.PeerId).ToList();
        foreach (var peer in chosen)
        {
            await _store.AddPushJobAsync(peer, job, cancellationToken).ConfigureAwait(false);
        }

        return (job, chosen);
    }
}
