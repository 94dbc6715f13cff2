using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Uploading;

/// <summary>
/// Chooses whom we upload to (DESIGN.md, upload side): the regular slots go to the interested neighbours that give
/// back, tightest deadline first (then the most generous), and to others only when slots remain; one optimistic slot rotates among the rest (seeded, so a run
/// replays) so a newcomer with nothing to trade gets its first pieces. Super peers get more slots.
/// </summary>
internal sealed class Unchoker(UploadSettings settings, bool superPeer, Random random)
{
    private static readonly IComparer<UploadCandidate> Regular = Comparer<UploadCandidate>.Create(RegularOrder);

    private HashSet<NeighbourId> _unchoked = [];
    // Reused from one rechoke to the next (a simulated swarm rechokes thousands of times a second): the ranking, the
    // next unchoked set (swapped with the current one once decided) and the rest of the interested.
    private HashSet<NeighbourId> _next = [];
    private UploadCandidate[] _ranked = [];
    private readonly List<NeighbourId> _others = [];
    private NeighbourId? _optimistic;
    private Instant? _lastRechoke;
    private Instant? _lastOptimistic;

    public IReadOnlySet<NeighbourId> Unchoked => _unchoked;

    public int RegularSlots => settings.UnchokeSlots * (superPeer ? settings.SuperPeerSlotFactor : 1);

    public bool IsDue(Instant now) => _lastRechoke is not { } last || now - last >= settings.RechokeInterval;

    /// <summary>Revises the unchoked set; returns the neighbours to CHOKE and to UNCHOKE.</summary>
    public (List<NeighbourId> Choke, List<NeighbourId> Unchoke) Rechoke(Instant now, IReadOnlyList<UploadCandidate> interested)
    {
        _lastRechoke = now;
        var count = interested.Count;
        if (_ranked.Length < count) _ranked = new UploadCandidate[Math.Max(count, _ranked.Length * 2)];
        var ranked = _ranked;
        for (var i = 0; i < count; i++) ranked[i] = interested[i];
        Array.Sort(ranked, 0, count, Regular);
        var slots = Math.Min(RegularSlots, count);
        var next = _next;
        next.Clear();
        for (var i = 0; i < slots; i++) next.Add(ranked[i].Id);

        var others = _others;
        others.Clear();
        for (var i = 0; i < count; i++)
            if (!next.Contains(interested[i].Id)) others.Add(interested[i].Id);
        var optimisticDue = _lastOptimistic is not { } lastOptimistic || now - lastOptimistic >= settings.OptimisticInterval;
        if (_optimistic is not { } current || !others.Contains(current) || optimisticDue)
        {
            _optimistic = others.Count > 0 ? others[random.Next(others.Count)] : null;
            _lastOptimistic = now;
        }
        if (_optimistic is { } optimistic && settings.OptimisticSlots > 0) next.Add(optimistic);

        var choke = new List<NeighbourId>();
        foreach (var id in _unchoked)
            if (!next.Contains(id)) choke.Add(id);
        var unchoke = new List<NeighbourId>();
        foreach (var id in next)
            if (!_unchoked.Contains(id)) unchoke.Add(id);
        choke.Sort(ById);
        unchoke.Sort(ById);
        _next = _unchoked;
        _unchoked = next;
        return (choke, unchoke);
    }

    /// <summary>Those that give back first, then the tightest deadline, then the most generous; the id breaks ties.</summary>
    private static int RegularOrder(UploadCandidate a, UploadCandidate b)
    {
        var byGiving = (a.BytesFromThem > 0 ? 0 : 1).CompareTo(b.BytesFromThem > 0 ? 0 : 1);
        if (byGiving != 0) return byGiving;
        var byDeadline = (a.TightestDeadline ?? TimeSpan.MaxValue).CompareTo(b.TightestDeadline ?? TimeSpan.MaxValue);
        if (byDeadline != 0) return byDeadline;
        var byBytes = b.BytesFromThem.CompareTo(a.BytesFromThem);
        return byBytes != 0 ? byBytes : a.Id.Value.CompareTo(b.Id.Value);
    }

    private static int ById(NeighbourId a, NeighbourId b) => a.Value.CompareTo(b.Value);

    public void Forget(NeighbourId id)
    {
        _unchoked.Remove(id);
        if (_optimistic == id) _optimistic = null;
    }
}
