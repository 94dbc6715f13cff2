using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Uploading;

/// <summary>
/// Chooses whom we upload to (DESIGN.md, upload side): the regular slots go to the interested neighbours that give
/// back, tightest deadline first (then the most generous), and to others only when slots remain; one optimistic slot rotates among the rest (seeded, so a run
/// replays) so a newcomer with nothing to trade gets its first pieces. Super peers get more slots.
/// </summary>
internal sealed class Unchoker(UploadSettings settings, bool superPeer, Random random)
{
    private readonly HashSet<NeighbourId> _unchoked = [];
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
        var ranked = interested.ToArray();
        Array.Sort(ranked, RegularOrder);
        var slots = Math.Min(RegularSlots, ranked.Length);
        var next = new HashSet<NeighbourId>();
        for (var i = 0; i < slots; i++) next.Add(ranked[i].Id);

        var others = new List<NeighbourId>(ranked.Length - slots);
        foreach (var candidate in interested)
            if (!next.Contains(candidate.Id)) others.Add(candidate.Id);
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
        _unchoked.Clear();
        _unchoked.UnionWith(next);
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
