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
    // Above this many pieces to place, a pass counts the room its neighbours have left before it starts.
    private const int RoomWorthCounting = 4;

    private readonly SchedulerSettings _settings;
    private readonly NeighbourChooser _chooser;
    private readonly StallPolicy _stalls;
    private readonly EndGamePolicy _endGame;
    private readonly OriginSeeding _seeding;
    private readonly OriginRangeCoalescer _coalescer;
    private readonly SegmentAges _ages = new();
    // The stall policy's deadline as one delegate for the life of the scheduler (a method group allocates at each use).
    private readonly Func<InFlightRequest, Instant> _stallsAfter;
    private long _nextOriginId;
    private Instant? _idleSince;
    // No request to a neighbour can stall before this (a lower bound kept as requests are added): most passes skip the scan.
    private Instant _noStallBefore = Instant.MaxValue;

    public PieceScheduler(SchedulerSettings settings)
    {
        _settings = settings;
        Zones = new ZoneChooser(settings);
        Origin = new OriginTiming(settings);
        _chooser = new NeighbourChooser(settings);
        _stalls = new StallPolicy(settings);
        _stallsAfter = _stalls.StallsAfter;
        _endGame = new EndGamePolicy(settings);
        _seeding = new OriginSeeding(settings);
        _coalescer = new OriginRangeCoalescer(settings);
    }

    public ZoneChooser Zones { get; }

    /// <summary>The origin's measured answer time; the driver reports each range that succeeds.</summary>
    public OriginTiming Origin { get; }

    public RequestBook Book { get; } = new();

    public SchedulePlan Plan(ScheduleInput input) => Plan(input, new SchedulePlan());

    /// <summary>Plans one pass into <paramref name="plan"/>, which is cleared first (a driver may reuse one plan object).</summary>
    public SchedulePlan Plan(ScheduleInput input, SchedulePlan plan)
    {
        var now = input.Now;
        plan.Clear();
        var buffers = PlanBuffers.ForThisThread();
        buffers.Clear();
        // Created only when something stalled: most passes have none, and this runs for every viewer of a large simulation.
        HashSet<(NeighbourId, PieceId)>? stalled = null;
        var overdue = now > _noStallBefore ? Book.NeighbourRequestsPast(_stallsAfter, now, out _noStallBefore) : [];
        foreach (var request in overdue)
        {
            stalled ??= [];
            var neighbour = request.Neighbour!.Value;
            Book.Remove(request.Key, neighbour);
            stalled.Add((neighbour, request.Key));
            plan.Stalled.Add((neighbour, request.Key));
            plan.Cancels.Add((neighbour, request.Key));
        }

        // Who serves us, as a mask: with the availability's holder masks, "who holds it and serves us" is one AND.
        var serving = NeighbourChooser.ServingMask(input.Neighbours);
        _ages.Observe(input.Segments, now, countFromStart: input.Download);
        var urgent = buffers.Urgent;
        var window = buffers.Window;
        if (input.Download) DownloadCandidates(input, window);
        else Candidates(input, urgent, window);
        var toOrigin = buffers.ToOrigin;
        var requests = buffers.Requests;

        foreach (var candidate in urgent)
        {
            var atOrigin = Book.IsFromOrigin(candidate.Key);
            requests.Clear();
            var booked = Book.For(candidate.Key);
            for (var r = 0; r < booked.Count; r++)
                if (booked[r].Neighbour is not null) requests.Add(booked[r]);
            if (input.OriginFailing || (atOrigin && Book.IsOverdueAtOrigin(candidate.Key, now)))
            {
                RaceOnNeighbours(candidate, requests.Count, input, stalled, serving, plan);
                // It also stays bound for the origin: the driver's next probe may carry it.
                if (!atOrigin) toOrigin.Add((candidate.Key, true));
                continue;
            }
            // A piece the origin already has in hand, on time, waits for it.
            if (atOrigin) continue;
            // An urgent piece stays with a neighbour only while that request is on time and lands with a margin.
            if (AnyLandsInTime(requests, now, candidate.Deadline - _settings.UrgentMargin)) continue;
            // Urgent means "cannot arrive in time from peers": a holder that can still make it with the safety margin keeps it.
            if (requests.Count == 0 &&
                _chooser.Choose(candidate.Key, candidate.Length, input.Neighbours, input.Availability, Book, stalled, serving) is { } peer &&
                peer.Expected * _settings.UrgentSafetyFactor < candidate.Deadline - now)
            {
                Ask(new InFlightRequest(candidate.Key, peer.Neighbour.Id, now, now + peer.Expected));
                plan.Requests.Add((peer.Neighbour.Id, candidate.Key));
                continue;
            }
            foreach (var request in requests)
            {
                Book.Remove(candidate.Key, request.Neighbour!.Value);
                plan.Cancels.Add((request.Neighbour.Value, candidate.Key));
            }
            toOrigin.Add((candidate.Key, true));
        }

        // Seeding goes on while the origin fails: the driver lets one range through as a probe (urgent ones first), and a
        // download, which has no urgent ranges, would otherwise never learn that the origin is back.
        var seedingAllowed = input.OriginShare < _settings.OriginShareLimit && Book.OriginRangesInFlight < _settings.MaxOriginRequestsInFlight;
        var assignable = buffers.Assignable;
        var lost = buffers.Lost;
        // The window comes in playback order, segment by segment: what depends only on the segment (whether any of it is
        // held around, its age, this node's seeding draw) is worked out at its first piece that needs it, not at each.
        var segment = long.MinValue;
        var segmentHeldAround = false;
        var segmentSeedingKnown = false;
        var segmentAge = TimeSpan.Zero;
        var segmentDraw = 0.0;
        foreach (var candidate in window)
        {
            // A slow origin (queued, or failing) does not hold a piece hostage once a neighbour has it.
            if (Book.IsRequested(candidate.Key) && !Book.IsOnlyOverdueAtOrigin(candidate.Key, now)) continue;
            // Holders counts every neighbour that holds the piece, so none means no usable one either (and no scan).
            if (candidate.Holders > 0 && HasUsableHolder(candidate.Key, input, serving))
            {
                assignable.Add(candidate);
                continue;
            }
            // Held around but every holder chokes us: it will spread to someone who serves us; not a case for the origin yet.
            // Nor is any piece of a segment someone around holds part of: the segment is in the swarm and spreading, and
            // should a piece not come in time the urgent path fetches just it (its hashes are known by then), where
            // seeding it now would fetch most of the segment again to verify it.
            if (candidate.Holders > 0) continue;
            if (candidate.Key.SegmentSequence != segment)
            {
                segment = candidate.Key.SegmentSequence;
                segmentHeldAround = HeldAround(segment, input);
                segmentSeedingKnown = false;
            }
            if (segmentHeldAround)
            {
                if (input.Download) lost.Add(candidate);
                continue;
            }
            if (!seedingAllowed) continue;
            if (!segmentSeedingKnown)
            {
                // With no neighbour yet, "nobody around holds it" means nothing: no escalation until someone can answer.
                segmentAge = input.Neighbours.Count == 0 ? TimeSpan.Zero : _ages.AgeOf(segment, now);
                if (input.Download) segmentAge /= _settings.DownloadSeedSlowdown;
                segmentDraw = OriginSeeding.SegmentDraw(input.NodeSeed, segment);
                segmentSeedingKnown = true;
            }
            // A download has no deadline to escalate by, only the time it has waited.
            var slack = input.Neighbours.Count == 0 || input.Download ? TimeSpan.MaxValue : candidate.Deadline - now - Zones.UrgentHorizon;
            if (segmentDraw < _seeding.Probability(input.SwarmSize, input.SuperPeer, slack, segmentAge)) toOrigin.Add((candidate.Key, false));
        }

        // A download has time: rarest first across the whole resource, whatever the deadlines.
        TimeSpan? rarestBeyond = input.Download ? TimeSpan.MinValue : null;
        new CandidateOrder(now, _settings.DeadlineTieWindow, input.NodeSeed, rarestBeyond).Sort(assignable, ref buffers.SortKeys);
        var unassigned = 0;
        // The room only saves asking every neighbour again once all are at their bound, so with a few candidates it costs
        // more (a count per neighbour) than it saves: without it each fails in the chooser instead, with the same result.
        var room = assignable.Count > RoomWorthCounting ? RequestRoom(input) : int.MaxValue;
        foreach (var candidate in assignable)
        {
            // Once every neighbour that serves us is at its bound, the rest cannot be placed this pass.
            if (room == 0)
            {
                unassigned++;
                continue;
            }
            if (TryRequest(candidate, input, stalled, serving, plan)) room--;
            else unassigned++;
        }

        // A download that has had nothing to ask its neighbours for a while, with pieces of a slice someone around holds
        // that nobody around holds (their seeder left, or holds them beyond our neighbours), takes those from the origin
        // rather than wait on: there is no urgent zone to rescue it, and the origin bound keeps this to a trickle.
        var idle = input.Download && assignable.Count == 0 && !Book.AnyToNeighbours;
        if (!idle) _idleSince = null;
        else _idleSince ??= now;
        if (lost.Count > 0 && seedingAllowed && now - _idleSince >= _settings.SeedAgeGrace * _settings.DownloadSeedSlowdown)
            foreach (var candidate in lost) toOrigin.Add((candidate.Key, false));

        // End game: every fetchable piece is asked for; a duplicate may now pay for the tightest deadlines (a download's
        // for whichever is slowest).
        if (unassigned == 0)
        {
            // Only pieces a duplicate could pay for are sorted (usually none): the policy's cheap half is asked first.
            var mayDuplicate = buffers.MayDuplicate;
            foreach (var candidate in window)
            {
                Instant? needBy = input.Download ? null : candidate.Deadline - Zones.UrgentHorizon;
                // No request to a neighbour is expected later than the piece can wait: no duplicate can pay, and the
                // lookup is saved (most pieces of a window are asked for, and on time).
                if (needBy >= Book.LatestExpectedFromNeighbours) continue;
                // One lookup of the piece's requests answers "asked at all", "asked of the origin" and the policy.
                var asked = Book.For(candidate.Key);
                if (asked.Count == 0 || RequestBook.AnyFromOrigin(asked)) continue;
                if (_endGame.MayDuplicate(asked, needBy)) mayDuplicate.Add((candidate, needBy, mayDuplicate.Count));
            }
            mayDuplicate.Sort(static (a, b) => a.Candidate.Deadline != b.Candidate.Deadline
                ? a.Candidate.Deadline.CompareTo(b.Candidate.Deadline)
                : a.Order.CompareTo(b.Order));
            foreach (var (candidate, needBy, _) in mayDuplicate)
            {
                var choice = _chooser.Choose(candidate.Key, candidate.Length, input.Neighbours, input.Availability, Book, stalled, serving);
                if (choice is not { } best) continue;
                if (!_endGame.ShouldDuplicate(Book.For(candidate.Key), best.Expected, now, needBy)) continue;
                Ask(new InFlightRequest(candidate.Key, best.Neighbour.Id, now, now + best.Expected));
                plan.Requests.Add((best.Neighbour.Id, candidate.Key));
                plan.Duplicates++;
            }
        }

        if (input.OriginClosure is { } closure && toOrigin.Count > 0) toOrigin = Widen(toOrigin, closure, input.Holdings);

        if (toOrigin.Count > 0) PlanOrigin(toOrigin, input, plan);
        return plan;
    }

    /// <summary>
    /// The pieces bound for the origin, coalesced into ranges and booked. Apart from <see cref="Plan(ScheduleInput, SchedulePlan)"/>
    /// so that its sort's capture is allocated only on the passes that reach the origin with more than one range.
    /// </summary>
    private void PlanOrigin(List<(PieceId Key, bool Urgent)> toOrigin, ScheduleInput input, SchedulePlan plan)
    {
        var now = input.Now;
        var ranges = _coalescer.Coalesce(toOrigin, input.Segments, ref _nextOriginId);
        // Urgent ranges first; seeding ranges in this node's own order of segments, so that nodes bounded to a few
        // ranges at a time seed different segments rather than all the first.
        if (ranges.Count > 1)
        {
            var nodeSeed = input.NodeSeed;
            ranges.Sort((a, b) => a.Urgent != b.Urgent ? (a.Urgent ? -1 : 1)
                : a.Urgent ? a.Id.CompareTo(b.Id)
                : SeedOrder(nodeSeed, a).CompareTo(SeedOrder(nodeSeed, b)));
        }
        foreach (var range in ranges)
        {
            if (!range.Urgent && Book.OriginRangesInFlight >= _settings.MaxOriginRequestsInFlight) continue;
            Book.AddOrigin(range, now, now + Origin.LateAfter(Zones.UrgentHorizon));
            plan.OriginRanges.Add(range);
        }
    }

    /// <summary>Whether a request is on time and expected no later than <paramref name="latest"/>.</summary>
    private static bool AnyLandsInTime(List<InFlightRequest> requests, Instant now, Instant latest)
    {
        foreach (var request in requests)
            if (request.ExpectedBy >= now && request.ExpectedBy <= latest) return true;
        return false;
    }

    /// <summary>The pieces bound for the origin, widened by the closure to what verifies them (not those held or asked already).</summary>
    private List<(PieceId Key, bool Urgent)> Widen(
        List<(PieceId Key, bool Urgent)> toOrigin, Func<IReadOnlyList<PieceId>, IEnumerable<PieceId>> closure, IPieceHoldings holdings)
    {
        var urgentKeys = toOrigin.Where(p => p.Urgent).Select(p => p.Key).ToHashSet();
        var widened = new List<(PieceId Key, bool Urgent)>();
        foreach (var group in toOrigin.GroupBy(p => p.Key.SegmentSequence))
        {
            var urgentSegment = group.Any(p => p.Urgent);
            foreach (var key in closure(group.Select(p => p.Key).ToList()).Distinct())
                if (!holdings.Has(key) && !Book.IsFromOrigin(key)) widened.Add((key, urgentSegment || urgentKeys.Contains(key)));
        }
        return widened;
    }

    /// <summary>Books a request to a neighbour, and keeps the earliest instant any could stall.</summary>
    private void Ask(InFlightRequest request)
    {
        Book.Add(request);
        var stallsAfter = _stalls.StallsAfter(request);
        if (stallsAfter < _noStallBefore) _noStallBefore = stallsAfter;
    }

    /// <summary>A seeding range's place in this node's order: its segment's draw, then its place in the segment.</summary>
    private static (double, long, int) SeedOrder(ulong nodeSeed, OriginRange range) =>
        (OriginSeeding.SegmentDraw(nodeSeed, range.Segment), range.Segment, range.FirstPiece);

    /// <summary>How many more requests the neighbours that serve us can take this pass.</summary>
    private int RequestRoom(ScheduleInput input)
    {
        var room = 0;
        var neighbours = input.Neighbours;
        for (var i = 0; i < neighbours.Count; i++)
            if (neighbours[i] is { Choking: false } neighbour) room += Math.Max(0, _chooser.Capacity(neighbour) - Book.InFlightTo(neighbour.Id));
        return room;
    }

    /// <summary>
    /// While the origin fails, or is late with this piece, the neighbours are the best hope: a request out to one is kept
    /// however late it runs (stalled ones were withdrawn already), and the piece is raced on up to
    /// <see cref="SchedulerSettings.EndGameMaxRequestsPerPiece"/> holders, since a duplicate costs less than a stall.
    /// </summary>
    private void RaceOnNeighbours(PieceCandidate candidate, int requested, ScheduleInput input, HashSet<(NeighbourId, PieceId)>? stalled, ulong? serving, SchedulePlan plan)
    {
        for (; requested < _settings.EndGameMaxRequestsPerPiece; requested++)
        {
            var choice = _chooser.Choose(candidate.Key, candidate.Length, input.Neighbours, input.Availability, Book, stalled, serving);
            if (choice is not { } peer) return;
            Ask(new InFlightRequest(candidate.Key, peer.Neighbour.Id, input.Now, input.Now + peer.Expected));
            plan.Requests.Add((peer.Neighbour.Id, candidate.Key));
            if (requested > 0) plan.Duplicates++;
        }
    }

    private bool TryRequest(PieceCandidate candidate, ScheduleInput input, HashSet<(NeighbourId, PieceId)>? stalled, ulong? serving, SchedulePlan plan)
    {
        // A piece that just stalled on a neighbour moves to another one (or later to the origin), never straight back.
        var choice = _chooser.Choose(candidate.Key, candidate.Length, input.Neighbours, input.Availability, Book, stalled, serving);
        if (choice is not { } best) return false;
        Ask(new InFlightRequest(candidate.Key, best.Neighbour.Id, input.Now, input.Now + best.Expected));
        plan.Requests.Add((best.Neighbour.Id, candidate.Key));
        return true;
    }

    /// <summary>Fills <paramref name="urgent"/> and <paramref name="window"/> with the missing pieces of each zone, in playback order.</summary>
    private void Candidates(ScheduleInput input, List<PieceCandidate> urgent, List<PieceCandidate> window)
    {
        var segments = input.Segments;
        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            if (input.Holdings.IsComplete(segment.Sequence)) continue;
            // A whole-segment player needs every piece at the segment's start: one deadline and zone for all of them.
            var deadline = input.Playhead.DeadlineOf(segment.MediaStart, input.Now);
            var zone = Zones.Classify(deadline - input.Now);
            var pieces = segment.PieceCount;
            for (var i = 0; i < pieces; i++)
            {
                var key = new PieceId(segment.Sequence, i);
                if (!segment.WholeSegment)
                {
                    deadline = input.Playhead.DeadlineOf(segment.MediaTimeOf(i), input.Now);
                    zone = Zones.Classify(deadline - input.Now);
                }
                // Segments come in playback order, so the first piece beyond the window ends the scan.
                if (zone == Zone.Beyond) return;
                if (input.Holdings.Has(key)) continue;
                // Rarity matters only to pieces the peer window may still hand out: counting holders (a scan of every
                // neighbour) for urgent pieces and pieces already asked for would be wasted.
                var mayAssign = zone == Zone.PeerWindow && (!Book.IsRequested(key) || Book.IsOnlyOverdueAtOrigin(key, input.Now));
                var candidate = new PieceCandidate(key, deadline, segment.PieceLength(i), mayAssign ? input.Availability.HolderCount(key) : 0);
                (zone == Zone.Urgent ? urgent : window).Add(candidate);
            }
        }
    }

    /// <summary>
    /// A download's candidates: every piece still missing, whatever its deadline (a download has no urgent zone and no
    /// horizon; its origin use is bounded by <see cref="SchedulerSettings.MaxOriginRequestsInFlight"/> instead).
    /// </summary>
    private static void DownloadCandidates(ScheduleInput input, List<PieceCandidate> window)
    {
        var segments = input.Segments;
        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            if (input.Holdings.IsComplete(segment.Sequence)) continue;
            for (var i = 0; i < segment.PieceCount; i++)
            {
                var key = new PieceId(segment.Sequence, i);
                if (input.Holdings.Has(key)) continue;
                var deadline = input.Playhead.DeadlineOf(segment.MediaTimeOf(i), input.Now);
                window.Add(new PieceCandidate(key, deadline, segment.PieceLength(i), input.Availability.HolderCount(key)));
            }
        }
    }

    /// <summary>Whether any neighbour holds any piece of the segment.</summary>
    private static bool HeldAround(long segment, ScheduleInput input)
    {
        if (SegmentTimings.Find(input.Segments, segment) is not { } timing) return false;
        for (var i = 0; i < timing.PieceCount; i++)
            if (input.Availability.HolderCount(new PieceId(segment, i)) > 0) return true;
        return false;
    }

    private static bool HasUsableHolder(PieceId key, ScheduleInput input, ulong? serving)
    {
        if (serving is { } mask && input.Availability.TryGetHolders(key, out var holders)) return (holders & mask) != 0;
        var neighbours = input.Neighbours;
        for (var i = 0; i < neighbours.Count; i++)
            if (!neighbours[i].Choking && input.Availability.Has(neighbours[i].Id, key)) return true;
        return false;
    }

    /// <summary>A piece arrived and verified: its other requests are cancelled.</summary>
    public List<NeighbourId> PieceCompleted(PieceId key) => Book.Complete(key);

    /// <summary>As <see cref="PieceCompleted(PieceId)"/>, into a list the caller reuses.</summary>
    public void PieceCompleted(PieceId key, List<NeighbourId> others) => Book.Complete(key, others);
}
