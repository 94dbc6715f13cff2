using System.Net;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Lookups;

/// <summary>
/// One iterative Kademlia lookup: candidates sorted by XOR distance to the target, α queries in flight, done
/// when the K closest candidates that did not fail have all responded.
/// </summary>
internal sealed class Lookup(int id, DhtLookupKind kind, NodeId target, int announcePort, DhtOptions options)
{
    private readonly List<LookupCandidate> _candidates = [];
    private readonly HashSet<IPEndPoint> _peers = [];

    public int Id { get; } = id;

    public DhtLookupKind Kind { get; } = kind;

    public NodeId Target { get; } = target;

    public int AnnouncePort { get; } = announcePort;

    /// <summary>A join (a lookup of our own id); when it ends, the buckets farther away are filled too.</summary>
    public bool IsJoin { get; init; }

    public int InFlight { get; set; }

    public int QueriesSent { get; set; }

    public bool Announcing { get; set; }

    public int AnnouncesPending { get; set; }

    public int AnnounceAcks { get; set; }

    public IReadOnlyCollection<IPEndPoint> Peers => _peers;

    public void AddPeers(IEnumerable<IPEndPoint> peers)
    {
        foreach (var peer in peers)
        {
            _peers.Add(peer);
        }
    }

    public void AddCandidate(NodeInfo node, NodeId self)
    {
        if (node.Id == self || _candidates.Exists(c => c.Node.Id == node.Id))
        {
            return;
        }

        var index = _candidates.FindIndex(c => Target.CompareDistance(node.Id, c.Node.Id) < 0);
        _candidates.Insert(index < 0 ? _candidates.Count : index, new LookupCandidate(node));
        if (_candidates.Count > options.MaxLookupCandidates)
        {
            var farthestIdle = _candidates.FindLastIndex(c => c.State == LookupCandidateState.NotQueried);
            if (farthestIdle >= 0)
            {
                _candidates.RemoveAt(farthestIdle);
            }
        }
    }

    public LookupCandidate? Find(NodeId id) => _candidates.Find(c => c.Node.Id == id);

    /// <summary>The next candidate to query, or null when none should be queried now.</summary>
    public LookupCandidate? NextToQuery()
    {
        if (InFlight >= options.Alpha || QueriesSent >= options.MaxQueriesPerLookup)
        {
            return null;
        }

        var live = 0;
        foreach (var candidate in _candidates)
        {
            if (candidate.State == LookupCandidateState.Failed)
            {
                continue;
            }

            if (candidate.State == LookupCandidateState.NotQueried)
            {
                return candidate;
            }

            if (++live >= options.BucketSize)
            {
                return null;
            }
        }

        return null;
    }

    public bool IsConverged => InFlight == 0 && NextToQuery() is null;

    public List<LookupCandidate> ClosestResponded(int count) =>
        _candidates.Where(c => c.State == LookupCandidateState.Responded).Take(count).ToList();
}
