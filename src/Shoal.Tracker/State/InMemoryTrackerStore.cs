using System.Collections.Concurrent;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.State;

/// <summary>The default <see cref="ITrackerStore"/>: everything in this process, one lock per swarm.</summary>
public sealed class InMemoryTrackerStore : ITrackerStore
{
    /// <summary>Updates kept per live manifest: at one update per 6-second segment, about six minutes.</summary>
    public const int DefaultManifestHistory = 64;

    private readonly ConcurrentDictionary<Rid, MemorySwarm> _swarms = new();
    private readonly ConcurrentDictionary<Rid, ResourceMapping> _mappings = new();
    private readonly ConcurrentDictionary<Rid, SortedList<long, byte[]>> _manifests = new();
    private readonly int _manifestHistory;
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _leases = new();
    private byte[]? _secret;
    private readonly ConcurrentDictionary<PeerId, NodeStatus> _nodes = new();
    private readonly ConcurrentDictionary<PeerId, List<PushJob>> _jobs = new();
    private readonly TimeSpan _peerLifetime;
    private readonly ThreadLocal<Random> _random;

    /// <param name="peerLifetime">How long a member stays without re-announcing.</param>
    /// <param name="seed">Seed of the sampling randomness (per thread: seed + thread number), for reproducible tests.</param>
    /// <param name="manifestHistory">How many recent updates of a live manifest are kept.</param>
    public InMemoryTrackerStore(TimeSpan peerLifetime, int? seed = null, int manifestHistory = DefaultManifestHistory)
    {
        _manifestHistory = Math.Max(1, manifestHistory);
        _peerLifetime = peerLifetime;
        var threads = 0;
        _random = new ThreadLocal<Random>(() => seed is { } s ? new Random(s + Interlocked.Increment(ref threads)) : new Random());
    }

    public ValueTask<SwarmCounts> AnnounceAsync(Rid rid, PeerRecord peer, AnnounceEvent announceEvent, int sampleSize, PeerSample sample, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        while (true)
        {
            var swarm = announceEvent == AnnounceEvent.Stopped
                ? _swarms.GetValueOrDefault(rid)
                : _swarms.GetOrAdd(rid, static _ => new MemorySwarm());
            if (swarm is null)
            {
                return ValueTask.FromResult(default(SwarmCounts));
            }

            lock (swarm)
            {
                if (swarm.Detached)
                {
                    // The sweep dropped this swarm between our lookup and our lock: use the current one.
                    continue;
                }

                if (announceEvent == AnnounceEvent.Stopped)
                {
                    swarm.Remove(peer.Endpoint);
                    return ValueTask.FromResult(swarm.Counts);
                }

                swarm.Upsert(peer);
                if (announceEvent == AnnounceEvent.Completed)
                {
                    swarm.Completed++;
                }

                swarm.Sample(sampleSize, Cutoff(now), _random.Value!, sample);
                return ValueTask.FromResult(swarm.Counts);
            }
        }
    }

    public ValueTask<SwarmCounts> ScrapeAsync(Rid rid, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!_swarms.TryGetValue(rid, out var swarm))
        {
            return ValueTask.FromResult(default(SwarmCounts));
        }

        lock (swarm)
        {
            return ValueTask.FromResult(swarm.Counts);
        }
    }

    public ValueTask<IReadOnlyList<SwarmSummary>> ListSwarmsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var list = new List<SwarmSummary>();
        foreach (var (rid, swarm) in _swarms)
        {
            lock (swarm)
            {
                if (swarm.Count > 0)
                {
                    list.Add(new SwarmSummary(rid, swarm.Counts, swarm.SuperPeerCount, DateTimeOffset.FromUnixTimeMilliseconds(swarm.LastAnnounceUnixMs)));
                }
            }
        }

        IReadOnlyList<SwarmSummary> top = list.OrderByDescending(s => s.Counts.Seeders + s.Counts.Leechers).Take(limit).ToList();
        return ValueTask.FromResult(top);
    }

    public ValueTask<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var cutoff = Cutoff(now);
        var removed = 0;
        foreach (var (rid, swarm) in _swarms)
        {
            lock (swarm)
            {
                removed += swarm.RemoveExpired(cutoff);
                if (swarm.Count == 0 && _swarms.TryRemove(new KeyValuePair<Rid, MemorySwarm>(rid, swarm)))
                {
                    swarm.Detached = true;
                }
            }
        }

        return ValueTask.FromResult(removed);
    }

    public ValueTask PutMappingAsync(ResourceMapping mapping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        _mappings[mapping.Rid] = mapping;
        return ValueTask.CompletedTask;
    }

    public ValueTask<ResourceMapping?> GetMappingAsync(Rid rid, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_mappings.GetValueOrDefault(rid));

    public ValueTask<IReadOnlyList<ResourceMapping>> ListMappingsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ResourceMapping>>(_mappings.Values.OrderBy(m => m.Created).ToList());

    public ValueTask PutManifestAsync(Rid rid, long updateNumber, ReadOnlyMemory<byte> signedManifest, CancellationToken cancellationToken = default)
    {
        var history = _manifests.GetOrAdd(rid, static _ => new SortedList<long, byte[]>());
        lock (history)
        {
            history[updateNumber] = signedManifest.ToArray();
            while (history.Count > _manifestHistory)
            {
                history.RemoveAt(0);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<byte[]?> GetManifestAsync(Rid rid, long? updateNumber = null, CancellationToken cancellationToken = default)
    {
        if (!_manifests.TryGetValue(rid, out var history))
        {
            return ValueTask.FromResult<byte[]?>(null);
        }

        lock (history)
        {
            if (updateNumber is { } number)
            {
                return ValueTask.FromResult(history.GetValueOrDefault(number));
            }

            return ValueTask.FromResult<byte[]?>(history.Count > 0 ? history.Values[^1] : null);
        }
    }

    public ValueTask<byte[]> GetOrCreateSecretAsync(byte[] candidate, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Interlocked.CompareExchange(ref _secret, candidate, null) ?? candidate);

    public ValueTask<bool> TryHoldLeaseAsync(string name, string owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        lock (_leases)
        {
            if (_leases.TryGetValue(name, out var lease) && lease.Owner != owner && lease.Until > now)
            {
                return ValueTask.FromResult(false);
            }

            _leases[name] = (owner, now + ttl);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask PutNodeStatusAsync(NodeStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        _nodes[status.PeerId] = status;
        return ValueTask.CompletedTask;
    }

    public ValueTask<NodeStatus?> GetNodeStatusAsync(PeerId node, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_nodes.GetValueOrDefault(node));

    public ValueTask<IReadOnlyList<NodeStatus>> ListNodesAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<NodeStatus>>(_nodes.Values.ToList());

    public ValueTask AddPushJobAsync(PeerId node, PushJob job, CancellationToken cancellationToken = default)
    {
        var jobs = _jobs.GetOrAdd(node, static _ => new List<PushJob>());
        lock (jobs)
        {
            jobs.Add(job);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<PushJob>> TakePushJobsAsync(PeerId node, CancellationToken cancellationToken = default)
    {
        if (!_jobs.TryGetValue(node, out var jobs))
        {
            return ValueTask.FromResult<IReadOnlyList<PushJob>>([]);
        }

        lock (jobs)
        {
            IReadOnlyList<PushJob> taken = jobs.ToList();
            jobs.Clear();
            return ValueTask.FromResult(taken);
        }
    }

    private long Cutoff(DateTimeOffset now) => (now - _peerLifetime).ToUnixTimeMilliseconds();
}
