using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>
/// The P2SP scheduler (DESIGN.md, "The scheduler"): every missing piece gets a deadline from the playhead; the
/// <see cref="ZoneChooser"/> puts it in the urgent zone (origin, adjacent pieces coalesced by the
/// <see cref="OriginRangeCoalescer"/>), the peer window (neighbours, in <see cref="CandidateOrder"/>, each to the
/// neighbour the <see cref="NeighbourChooser"/> picks within its request bound) or beyond (nothing). Pieces no
/// neighbour holds are seeded from the origin by a few nodes (<see cref="OriginSeeding"/>, within the origin share
/// limit); stalled requests (<see cref="StallPolicy"/>) are withdrawn and the piece moves on; duplicates are sent
/// only when the <see cref="EndGamePolicy"/> says they pay. Each strategy is one decision and is tested alone;
/// this class only composes them and keeps the <see cref="RequestBook"/>.
/// </summary>
internal sealed class PieceScheduler
{
    private readonly SchedulerSettings _settings;
    private readonly NeighbourChooser _chooser;
    private readonly StallPolicy _stalls;
    private readonly EndGamePolicy _endGame;
    private readonly OriginSeeding _seeding;
    private readonly OriginRangeCoalescer _coalescer;
    private long _nextOriginId;

    public PieceScheduler(SchedulerSettings settings)
    {
        _settings = settings;
        Zones = new ZoneChooser(settings);
        _chooser = new NeighbourChooser(settings);
        _stalls = new StallPolicy(settings);
        _endGame = new EndGamePolicy(settings);
        _seeding = new OriginSeeding(settings);
        _coalescer = new OriginRangeCoalescer(settings);
    }

    public ZoneChooser Zones { get; }

    public RequestBook Book { get; } = new();

    public SchedulePlan Plan(ScheduleInput input)
    {
        var now = input.Now;
        var plan = new SchedulePlan();
        // Created only when something stalled: most passes have none, and this runs for every viewer of a large simulation.
        HashSet<(NeighbourId, PieceId)>? stalled = null;
        foreach (var request in Book.NeighbourRequestsWhere(_stalls.IsStalled, now))
        {
            stalled ??= [];
            var neighbour = request.Neighbour!.Value;
            Book.Remove(request.Key, neighbour);
            stalled.Add((neighbour, request.Key));
            plan.Stalled.Add((neighbour, request.Key));
            plan.Cancels.Add((neighbour, request.Key));
        }

        var (urgent, window) = Candidates(input);
        var toOrigin = new List<(PieceId Key, bool Urgent)>();

        foreach (var candidate in urgent)
        {
            var atOrigin = Book.IsFromOrigin(candidate.Key);
            // A piece the origin already has in hand waits for it, unless the origin is late (queued or failing).
            if (atOrigin && !Book.IsOnlyOverdueAtOrigin(candidate.Key, now)) continue;
            var requests = Book.For(candidate.Key).Where(r => r.Neighbour is not null).ToList();
            // An urgent piece stays with a neighbour only while that request is on time and lands with a margin.
            if (requests.Exists(r => r.ExpectedBy >= now && r.ExpectedBy <= candidate.Deadline - _settings.UrgentMargin)) continue;
            // Urgent means "cannot arrive in time from peers": a holder that can still make it with the safety margin keeps it.
            // While the origin fails, a neighbour that may still make it is the only hope: no safety factor.
            var safety = input.OriginFailing ? 1.0 : _settings.UrgentSafetyFactor;
            if (requests.Count == 0 &&
                _chooser.Choose(candidate.Key, candidate.Length, input.Neighbours, input.Availability, Book, stalled) is { } peer &&
                (peer.Expected * safety < candidate.Deadline - now || input.OriginFailing))
            {
                Book.Add(new InFlightRequest(candidate.Key, peer.Neighbour.Id, now, now + peer.Expected));
                plan.Requests.Add((peer.Neighbour.Id, candidate.Key));
                continue;
            }
            foreach (var request in requests)
            {
                Book.Remove(candidate.Key, request.Neighbour!.Value);
                plan.Cancels.Add((request.Neighbour.Value, candidate.Key));
            }
            if (!atOrigin) toOrigin.Add((candidate.Key, true));
        }

        var seedingAllowed = !input.OriginFailing && input.OriginShare < _settings.OriginShareLimit && Book.OriginRangesInFlight < _settings.MaxOriginRequestsInFlight;
        var assignable = new List<PieceCandidate>();
        foreach (var candidate in window)
        {
            // A slow origin (queued, or failing) does not hold a piece hostage once a neighbour has it.
            if (Book.IsRequested(candidate.Key) && !Book.IsOnlyOverdueAtOrigin(candidate.Key, now)) continue;
            if (HasUsableHolder(candidate.Key, input))
            {
                assignable.Add(candidate);
                continue;
            }
            // Held around but every holder chokes us: it will spread to someone who serves us; not a case for the origin yet.
            if (candidate.Holders > 0) continue;
            // With no neighbour yet, "nobody around holds it" means nothing: no escalation until someone can answer.
            var slack = input.Neighbours.Count == 0 ? TimeSpan.MaxValue : candidate.Deadline - now - Zones.UrgentHorizon;
            if (seedingAllowed && _seeding.ShouldSeed(input.NodeSeed, candidate.Key, input.SwarmSize, input.SuperPeer, slack))
                toOrigin.Add((candidate.Key, false));
        }

        assignable.Sort(new CandidateOrder(now, _settings.DeadlineTieWindow, input.NodeSeed));
        var unassigned = 0;
        foreach (var candidate in assignable)
        {
            if (!TryRequest(candidate, input, stalled, plan)) unassigned++;
        }

        // End game: every fetchable piece is asked for; a duplicate may now pay for the tightest deadlines.
        if (unassigned == 0)
        {
            foreach (var candidate in window.Where(c => Book.IsRequested(c.Key) && !Book.IsFromOrigin(c.Key)).OrderBy(c => c.Deadline))
            {
                if (!_endGame.MayDuplicate(Book.For(candidate.Key), candidate.Deadline - Zones.UrgentHorizon)) continue;
                var choice = _chooser.Choose(candidate.Key, candidate.Length, input.Neighbours, input.Availability, Book, stalled);
                if (choice is not { } best) continue;
                if (!_endGame.ShouldDuplicate(Book.For(candidate.Key), best.Expected, now, candidate.Deadline - Zones.UrgentHorizon)) continue;
                Book.Add(new InFlightRequest(candidate.Key, best.Neighbour.Id, now, now + best.Expected));
                plan.Requests.Add((best.Neighbour.Id, candidate.Key));
                plan.Duplicates++;
            }
        }

        if (input.OriginClosure is { } closure && toOrigin.Count > 0)
        {
            var urgentKeys = toOrigin.Where(p => p.Urgent).Select(p => p.Key).ToHashSet();
            var widened = new List<(PieceId Key, bool Urgent)>();
            foreach (var group in toOrigin.GroupBy(p => p.Key.SegmentSequence))
            {
                var urgentSegment = group.Any(p => p.Urgent);
                foreach (var key in closure(group.Select(p => p.Key).ToList()).Distinct())
                    if (!input.Holdings.Has(key) && !Book.IsFromOrigin(key)) widened.Add((key, urgentSegment || urgentKeys.Contains(key)));
            }
            toOrigin = widened;
        }

        if (toOrigin.Count == 0) return plan;
        var timings = input.Segments.ToDictionary(s => s.Sequence);
        foreach (var range in _coalescer.Coalesce(toOrigin, s => timings.GetValueOrDefault(s), () => ++_nextOriginId))
        {
            if ((!range.Urgent || _settings.BoundUrgentOriginRequests) && Book.OriginRangesInFlight >= _settings.MaxOriginRequestsInFlight) continue;
            Book.AddOrigin(range, now, now + Zones.UrgentHorizon);
            plan.OriginRanges.Add(range);
        }
        return plan;
    }

    private bool TryRequest(PieceCandidate candidate, ScheduleInput input, HashSet<(NeighbourId, PieceId)>? stalled, SchedulePlan plan)
    {
        // A piece that just stalled on a neighbour moves to another one (or later to the origin), never straight back.
        var choice = _chooser.Choose(candidate.Key, candidate.Length, input.Neighbours, input.Availability, Book, stalled);
        if (choice is not { } best) return false;
        Book.Add(new InFlightRequest(candidate.Key, best.Neighbour.Id, input.Now, input.Now + best.Expected));
        plan.Requests.Add((best.Neighbour.Id, candidate.Key));
        return true;
    }

    private (List<PieceCandidate> Urgent, List<PieceCandidate> Window) Candidates(ScheduleInput input)
    {
        var urgent = new List<PieceCandidate>();
        var window = new List<PieceCandidate>();
        foreach (var segment in input.Segments)
        {
            if (input.Holdings.IsComplete(segment.Sequence)) continue;
            for (var i = 0; i < segment.PieceCount; i++)
            {
                var key = new PieceId(segment.Sequence, i);
                var deadline = input.Playhead.DeadlineOf(segment.MediaTimeOf(i), input.Now);
                var zone = Zones.Classify(deadline - input.Now);
                // Segments come in playback order, so the first piece beyond the window ends the scan.
                if (zone == Zone.Beyond) return (urgent, window);
                if (input.Holdings.Has(key)) continue;
                // Rarity matters only to pieces the peer window may still hand out: counting holders (a scan of every
                // neighbour) for urgent pieces and pieces already asked for would be wasted.
                var mayAssign = zone == Zone.PeerWindow && (!Book.IsRequested(key) || Book.IsOnlyOverdueAtOrigin(key, input.Now));
                var candidate = new PieceCandidate(key, deadline, segment.PieceLength(i), mayAssign ? input.Availability.HolderCount(key) : 0);
                (zone == Zone.Urgent ? urgent : window).Add(candidate);
            }
        }
        return (urgent, window);
    }

    private static bool HasUsableHolder(PieceId key, ScheduleInput input)
    {
        foreach (var neighbour in input.Neighbours)
            if (!neighbour.Choking && input.Availability.Has(neighbour.Id, key)) return true;
        return false;
    }

    /// <summary>A piece arrived and verified: its other requests are cancelled.</summary>
    public List<NeighbourId> PieceCompleted(PieceId key) => Book.Complete(key);
}
