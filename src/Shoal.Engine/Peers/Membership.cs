using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Peers;

/// <summary>
/// Keeps the neighbour set bounded and useful: candidates arrive from the tracker, the DHT and PEX; the best are
/// connected (super peers first); a neighbour is scored by low RTT, high measured rate, super-peer status and
/// reciprocation; periodically the worst is replaced by a fresh candidate; dead ones and hopeless candidates are
/// forgotten. Pure bookkeeping: the swarm opens and closes the channels it is told to.
/// </summary>
internal sealed class Membership(MembershipSettings settings)
{
    private readonly Dictionary<NeighbourId, (bool SuperPeer, int Failures, long Turn)> _candidates = [];
    // Dial order, one list per kind, appended to and never searched: an entry whose turn no longer matches its candidate's
    // is stale and skipped (removing from the middle of a list of hundreds cost a 10,000-viewer simulation a tenth of its
    // time). Apart, so that looking for super peers first does not walk every ordinary candidate.
    private readonly List<(NeighbourId Id, long Turn)> _superOrder = [];
    private readonly List<(NeighbourId Id, long Turn)> _peerOrder = [];
    private long _nextTurn;
    private int _superCandidates;
    private readonly Dictionary<NeighbourId, Instant> _connectedSince = [];
    private readonly HashSet<NeighbourId> _connecting = [];
    private readonly HashSet<NeighbourId> _banned = [];
    private Instant? _lastReplace;

    public IReadOnlyCollection<NeighbourId> Neighbours => _connectedSince.Keys;

    public int Count => _connectedSince.Count + _connecting.Count;

    public bool IsBanned(NeighbourId id) => _banned.Contains(id);

    /// <summary>A peer learnt from a tracker, the DHT or PEX. Returns false if ignored (known, banned, or pool full).</summary>
    public bool AddCandidate(NeighbourId id, bool superPeer)
    {
        if (_banned.Contains(id) || _connectedSince.ContainsKey(id) || _connecting.Contains(id) || _candidates.ContainsKey(id)) return false;
        if (_candidates.Count >= settings.MaxCandidates) return false;
        _candidates[id] = (superPeer, 0, ++_nextTurn);
        if (superPeer) _superCandidates++;
        OrderOf(superPeer).Add((id, _nextTurn));
        return true;
    }

    /// <summary>Candidates to connect now, super peers first, up to the free room in the set.</summary>
    public IReadOnlyList<NeighbourId> ToConnect()
    {
        var room = settings.MaxNeighbours - Count;
        // A full set is the common case on a busy swarm: no sort of the whole candidate pool, and no new list, every
        // maintenance tick.
        if (room <= 0 || _candidates.Count == 0) return Array.Empty<NeighbourId>();
        CompactOrder(_superOrder, _superCandidates);
        CompactOrder(_peerOrder, _candidates.Count - _superCandidates);
        // Super peers first, each kind in dial order; two lists instead of sorting the whole pool every tick.
        var picks = new List<NeighbourId>(Math.Min(room, _candidates.Count));
        if (_superCandidates > 0) Pick(picks, room, _superOrder);
        Pick(picks, room, _peerOrder);
        foreach (var id in picks) _connecting.Add(id);
        return picks;
    }

    /// <summary>A channel came up (we dialled it, or it dialled us). False when the set is full or the peer banned.</summary>
    public bool Connected(NeighbourId id, Instant now)
    {
        if (_banned.Contains(id)) return false;
        var dialled = _connecting.Remove(id);
        if (!dialled && _connectedSince.Count >= settings.MaxNeighbours) return false;
        RemoveCandidate(id);
        _connectedSince.TryAdd(id, now);
        return true;
    }

    /// <summary>A dial failed: the candidate stays for another try, until it has failed too often.</summary>
    public void ConnectFailed(NeighbourId id)
    {
        _connecting.Remove(id);
        if (!_candidates.TryGetValue(id, out var c)) return;
        if (c.Failures + 1 >= settings.MaxConnectFailures) RemoveCandidate(id);
        else
        {
            // Retried after the other candidates.
            _candidates[id] = c with { Failures = c.Failures + 1, Turn = ++_nextTurn };
            OrderOf(c.SuperPeer).Add((id, _nextTurn));
        }
    }

    /// <summary>A neighbour died, left or was dropped: forget it (it may come back as a candidate).</summary>
    public void Disconnected(NeighbourId id)
    {
        _connectedSince.Remove(id);
        _connecting.Remove(id);
    }

    /// <summary>A neighbour proved hostile: forgotten and never accepted again.</summary>
    public void Ban(NeighbourId id)
    {
        _banned.Add(id);
        Disconnected(id);
        RemoveCandidate(id);
    }

    public static double Score(NeighbourScore s, MembershipSettings settings)
    {
        var rtt = (s.Rtt ?? settings.RttScale).TotalSeconds;
        var rttFactor = settings.RttScale.TotalSeconds / (settings.RttScale.TotalSeconds + rtt);
        var rate = s.RateToUs / settings.RateScale;
        var reciprocation = s.BytesToThem == 0 ? 1.0 : Math.Min(2.0, (double)s.BytesFromThem / s.BytesToThem);
        return (1 + rate) * rttFactor * (1 + reciprocation) * (s.SuperPeer ? settings.SuperPeerBonus : 1.0);
    }

    /// <summary>Whether <see cref="WorstToReplace"/> would look at the scores now (so a caller can skip computing them).</summary>
    public bool IsReplaceDue(Instant now) => _lastReplace is not { } last || now - last >= settings.ReplaceInterval;

    /// <summary>
    /// The periodic replacement: when the set is full, candidates wait and the interval has passed, the worst-scoring
    /// neighbour past its grace period is returned for the swarm to close.
    /// </summary>
    public NeighbourId? WorstToReplace(Instant now, IEnumerable<NeighbourScore> scores)
    {
        if (!IsReplaceDue(now)) return null;
        _lastReplace = now;
        if (_connectedSince.Count < settings.MaxNeighbours || _candidates.Count == 0) return null;
        var eligible = scores.Where(s => _connectedSince.TryGetValue(s.Id, out var since) && now - since >= settings.GracePeriod).ToList();
        if (eligible.Count == 0) return null;
        var worst = eligible.MinBy(s => Score(s, settings));
        Disconnected(worst.Id);
        return worst.Id;
    }

    private void RemoveCandidate(NeighbourId id)
    {
        if (_candidates.Remove(id, out var c) && c.SuperPeer) _superCandidates--;
    }

    private List<(NeighbourId Id, long Turn)> OrderOf(bool superPeer) => superPeer ? _superOrder : _peerOrder;

    /// <summary>Adds candidates of one kind, in dial order, that are not being dialled already, until there is no room.</summary>
    private void Pick(List<NeighbourId> picks, int room, List<(NeighbourId Id, long Turn)> order)
    {
        foreach (var entry in order)
        {
            if (picks.Count >= room) return;
            if (IsCurrent(entry) && !_connecting.Contains(entry.Id)) picks.Add(entry.Id);
        }
    }

    private bool IsCurrent((NeighbourId Id, long Turn) entry) => _candidates.TryGetValue(entry.Id, out var c) && c.Turn == entry.Turn;

    /// <summary>Drops stale entries once they outnumber the live ones, so an order list stays within twice its kind's pool.</summary>
    private void CompactOrder(List<(NeighbourId Id, long Turn)> order, int live)
    {
        if (order.Count <= (2 * live) + 16) return;
        order.RemoveAll(e => !IsCurrent(e));
    }
}
