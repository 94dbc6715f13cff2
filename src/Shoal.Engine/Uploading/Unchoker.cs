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
        var regular = interested
            .OrderBy(c => c.BytesFromThem > 0 ? 0 : 1)
            .ThenBy(c => c.TightestDeadline ?? TimeSpan.MaxValue)
            .ThenByDescending(c => c.BytesFromThem)
            .ThenBy(c => c.Id.Value)
            .Take(RegularSlots)
            .Select(c => c.Id)
            .ToHashSet();

        var others = interested.Where(c => !regular.Contains(c.Id)).Select(c => c.Id).ToList();
        var optimisticDue = _lastOptimistic is not { } lastOptimistic || now - lastOptimistic >= settings.OptimisticInterval;
        if (_optimistic is not { } current || !others.Contains(current) || optimisticDue)
        {
            _optimistic = others.Count > 0 ? others[random.Next(others.Count)] : null;
            _lastOptimistic = now;
        }
        var next = new HashSet<NeighbourId>(regular);
        if (_optimistic is { } optimistic && settings.OptimisticSlots > 0) next.Add(optimistic);

        var choke = _unchoked.Where(id => !next.Contains(id)).OrderBy(id => id.Value).ToList();
        var unchoke = next.Where(id => !_unchoked.Contains(id)).OrderBy(id => id.Value).ToList();
        _unchoked.Clear();
        _unchoked.UnionWith(next);
        return (choke, unchoke);
    }

    public void Forget(NeighbourId id)
    {
        _unchoked.Remove(id);
        if (_optimistic == id) _optimistic = null;
    }
}
