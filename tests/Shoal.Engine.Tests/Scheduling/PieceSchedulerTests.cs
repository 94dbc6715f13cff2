using CsCheck;
using Shoal.Core.Content;
using Shoal.Engine.Scheduling;
using static Shoal.Engine.Tests.Scheduling.SchedulingFixture;

namespace Shoal.Engine.Tests.Scheduling;

public sealed class PieceSchedulerTests
{
    private readonly List<SegmentTiming> _segments = Segments(20);
    private readonly SwarmAvailability _availability;
    private readonly Holdings _holdings;

    public PieceSchedulerTests()
    {
        _availability = Availability(_segments);
        _holdings = new Holdings(_segments);
    }

    private ScheduleInput Input(double now, IReadOnlyList<NeighbourView> neighbours, double playhead = 0, double rate = 1, int swarmSize = 1000, double originShare = 0) =>
        new(At(now), _segments, new Playhead(At(0), playhead, rate), _holdings, _availability, neighbours, swarmSize, SuperPeer: false, NodeSeed: 1, originShare);

    private static SchedulerSettings NoSeeding => SchedulerSettings.Default with { OriginCopiesPerPiece = 0 };

    [Fact]
    public void Holder_masks_change_no_decision_of_any_pass()
    {
        // Neighbours (choking or not, fast or slow), what each holds, and which requests land between passes.
        var neighbour = Gen.Select(Gen.Double[20_000, 2_000_000], Gen.Double[5, 200], Gen.Int[0, 3]);
        var gen = Gen.Select(neighbour.Array[1, 12], Gen.Int[0, 11].Array[0, 200], Gen.Int[0, 79].Array[0, 200], Gen.Int[0, 9].Array[12]);
        gen.Sample((neighbours, haveOwners, havePieces, landing) =>
        {
            var views = neighbours.Select((n, i) => Neighbour(i + 1, n.Item1, n.Item2, choking: n.Item3 == 0)).ToList();
            var plain = Availability(_segments);
            for (var h = 0; h < Math.Min(haveOwners.Length, havePieces.Length); h++)
                if (haveOwners[h] < views.Count) plain.AddHave(views[haveOwners[h]].Id, havePieces[h] / 4, havePieces[h] % 4, havePieces[h] % 4);
            var masked = new MaskedAvailability(plain, views);
            var (a, b) = (new PieceScheduler(SchedulerSettings.Default), new PieceScheduler(SchedulerSettings.Default));
            var (heldA, heldB) = (new Holdings(_segments), new Holdings(_segments));
            for (var pass = 0; pass < landing.Length; pass++)
            {
                var now = At(pass * 0.4);
                var planA = a.Plan(new(now, _segments, new Playhead(At(0), 0, 1), heldA, plain, views, 1000, false, 7, 0));
                var planB = b.Plan(new(now, _segments, new Playhead(At(0), 0, 1), heldB, masked, views, 1000, false, 7, 0));
                if (!planA.Requests.SequenceEqual(planB.Requests) || !planA.Cancels.SequenceEqual(planB.Cancels) ||
                    !planA.OriginRanges.SequenceEqual(planB.OriginRanges) || planA.Duplicates != planB.Duplicates) return false;
                // Some of the pass's requests land before the next one, the same in both.
                foreach (var (_, key) in planA.Requests.Take(landing[pass]))
                {
                    heldA.Pieces.Add(key);
                    heldB.Pieces.Add(key);
                    a.PieceCompleted(key);
                    b.PieceCompleted(key);
                }
            }
            return true;
        }, iter: 200);
    }

    [Fact]
    public void Urgent_pieces_nobody_holds_go_to_the_origin_as_one_coalesced_range()
    {
        var scheduler = new PieceScheduler(NoSeeding);
        var plan = scheduler.Plan(Input(0, []));
        // Urgent horizon 1.5 s over 2 s segments of 4 pieces: pieces 0..2 of segment 0 (media 0, 0.5, 1.0).
        var range = Assert.Single(plan.OriginRanges);
        Assert.Equal((0L, 0, 3, 0L, 3L * PieceSize, true), (range.Segment, range.FirstPiece, range.PieceCount, range.Offset, range.Length, range.Urgent));
        Assert.Empty(plan.Requests);
        Assert.Empty(scheduler.Plan(Input(0, [])).OriginRanges);
    }

    [Fact]
    public void Peer_window_pieces_go_to_neighbours_earliest_deadline_first_within_the_bound()
    {
        var scheduler = new PieceScheduler(NoSeeding);
        var n = Neighbour(1);
        for (var s = 0; s < 20; s++) _availability.AddHave(n.Id, s, 0, 3);
        // The player starts in 1 s: a fast holder takes even urgent pieces it can deliver well in time, in deadline order.
        var plan = scheduler.Plan(Input(0, [n], playhead: -1));
        Assert.Equal(SchedulerSettings.Default.MaxRequestsInFlightPerNeighbour, plan.Requests.Count);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => new PieceId(i / 4, i % 4)).ToHashSet(), plan.Requests.Select(r => r.Key).ToHashSet());
        // Within one deadline window the node's own random tie-break may reorder; across windows the order holds.
        var windows = plan.Requests.Select(r => (int)Math.Floor(_segments[(int)r.Key.SegmentSequence].MediaTimeOf(r.Key.PieceIndex))).ToList();
        Assert.Equal(windows.Order(), windows);
        Assert.Empty(plan.OriginRanges);
    }

    [Fact]
    public void Rarest_first_breaks_ties_between_equal_deadlines()
    {
        var scheduler = new PieceScheduler(NoSeeding with { MaxRequestsInFlightPerNeighbour = 1, DeadlineTieWindow = TimeSpan.FromSeconds(2) });
        var a = Neighbour(1);
        var b = Neighbour(2);
        // Segment 3 (media 6..8 s): piece 2 is held only by b, the others by both.
        _availability.AddHave(a.Id, 3, 0, 3);
        _availability.AddHave(b.Id, 3, 0, 3);
        _availability.RemoveHave(a.Id, new PieceId(3, 2));
        _availability.AddHave(a.Id, 3, 0, 1);
        var plan = scheduler.Plan(Input(0, [a, b], playhead: 0));
        Assert.Contains((b.Id, new PieceId(3, 2)), plan.Requests);
    }

    [Fact]
    public void A_stalled_piece_moves_to_another_neighbour()
    {
        var scheduler = new PieceScheduler(NoSeeding with { MaxRequestsInFlightPerNeighbour = 1 });
        var slow = Neighbour(1, rttMs: 10);
        var other = Neighbour(2, rttMs: 200);
        _availability.AddHave(slow.Id, 5, 0, 3);
        _availability.AddHave(other.Id, 5, 0, 3);
        // Playhead far back: segment 5 sits in the peer window, only piece (5,0) matters to this test.
        _holdings.Pieces.UnionWith(Enumerable.Range(0, 20).SelectMany(s => Enumerable.Range(0, 4).Select(i => new PieceId(s, i))).Where(k => k != new PieceId(5, 0)));
        var first = scheduler.Plan(Input(0, [slow, other]));
        Assert.Equal([(slow.Id, new PieceId(5, 0))], first.Requests);

        Assert.Empty(scheduler.Plan(Input(1.5, [slow, other])).Stalled);
        var later = scheduler.Plan(Input(2.5, [slow, other]));
        Assert.Equal([(slow.Id, new PieceId(5, 0))], later.Stalled);
        Assert.Contains((slow.Id, new PieceId(5, 0)), later.Cancels);
        Assert.Equal([(other.Id, new PieceId(5, 0))], later.Requests);
    }

    [Fact]
    public void A_piece_whose_peer_stalls_goes_to_the_origin_before_its_deadline()
    {
        var scheduler = new PieceScheduler(NoSeeding);
        var n = Neighbour(1);
        _availability.AddHave(n.Id, 2, 0, 0);
        _holdings.Pieces.UnionWith(Enumerable.Range(0, 20).SelectMany(s => Enumerable.Range(0, 4).Select(i => new PieceId(s, i))).Where(k => k != new PieceId(2, 0)));
        Assert.Equal([(n.Id, new PieceId(2, 0))], scheduler.Plan(Input(0, [n])).Requests);

        // Piece (2,0) is due at 4 s; at 3 s it is urgent, the neighbour has not answered for 3 s.
        var plan = scheduler.Plan(Input(3, [n]));
        Assert.Contains((n.Id, new PieceId(2, 0)), plan.Cancels);
        var range = Assert.Single(plan.OriginRanges);
        Assert.Equal((2L, 0, 1, true), (range.Segment, range.FirstPiece, range.PieceCount, range.Urgent));
    }

    [Fact]
    public void End_game_sends_a_duplicate_only_to_a_much_faster_neighbour()
    {
        var scheduler = new PieceScheduler(NoSeeding with { MinimumStallTimeout = TimeSpan.FromSeconds(30), StallFactor = 100 });
        var slow = Neighbour(1, rate: 2_000, rttMs: 300);
        _availability.AddHave(slow.Id, 3, 0, 0);
        _holdings.Pieces.UnionWith(Enumerable.Range(0, 20).SelectMany(s => Enumerable.Range(0, 4).Select(i => new PieceId(s, i))).Where(k => k != new PieceId(3, 0)));
        Assert.Single(scheduler.Plan(Input(0, [slow])).Requests);

        var similar = Neighbour(2, rate: 2_500, rttMs: 300);
        _availability.AddHave(similar.Id, 3, 0, 0);
        Assert.Empty(scheduler.Plan(Input(0.1, [slow, similar])).Requests);

        var fast = Neighbour(3, rate: 2_000_000, rttMs: 10);
        _availability.AddHave(fast.Id, 3, 0, 0);
        var plan = scheduler.Plan(Input(0.2, [slow, similar, fast]));
        Assert.Equal([(fast.Id, new PieceId(3, 0))], plan.Requests);
        Assert.Equal(1, plan.Duplicates);

        Assert.Equal([slow.Id, fast.Id], scheduler.PieceCompleted(new PieceId(3, 0)));
    }

    [Fact]
    public void Seeding_from_the_origin_stops_at_the_origin_share_limit_but_urgent_fetches_do_not()
    {
        var eager = SchedulerSettings.Default with { OriginCopiesPerPiece = 1_000_000, OriginShareLimit = 0.2 };
        var scheduler = new PieceScheduler(eager);
        var plan = scheduler.Plan(Input(0, [], swarmSize: 10, originShare: 0.5));
        Assert.All(plan.OriginRanges, r => Assert.True(r.Urgent));
        Assert.NotEmpty(plan.OriginRanges);

        var fresh = new PieceScheduler(eager);
        var seeding = fresh.Plan(Input(0, [], swarmSize: 10, originShare: 0.1));
        Assert.Contains(seeding.OriginRanges, r => !r.Urgent);
        Assert.True(seeding.OriginRanges.Count(r => !r.Urgent) <= eager.MaxOriginRequestsInFlight);
    }

    [Fact]
    public void While_the_origin_fails_an_urgent_piece_races_on_the_neighbours_and_waits_for_the_probe()
    {
        var scheduler = new PieceScheduler(NoSeeding);
        var a = Neighbour(1);
        var b = Neighbour(2, rttMs: 60);
        _availability.AddHave(a.Id, 0, 0, 3);
        _availability.AddHave(b.Id, 0, 0, 3);
        HoldAllBut(new PieceId(0, 0));
        // Piece (0,0) is due in 0.5 s: urgent; with a healthy origin it would go there.
        var failing = Input(0, [a, b], playhead: -0.5) with { OriginFailing = true };
        var plan = scheduler.Plan(failing);
        Assert.Equal([(a.Id, new PieceId(0, 0)), (b.Id, new PieceId(0, 0))], plan.Requests);
        var probe = Assert.Single(plan.OriginRanges);
        Assert.True(probe.Urgent);

        // Later than its margin, the neighbours' requests are still the best hope: nothing is cancelled.
        var later = scheduler.Plan(failing with { Now = At(0.4) });
        Assert.Empty(later.Cancels);
        Assert.Empty(later.Requests);
    }

    [Fact]
    public void An_origin_range_late_by_the_measured_answer_time_is_raced_on_a_neighbour()
    {
        var scheduler = new PieceScheduler(NoSeeding);
        scheduler.Origin.Answered(TimeSpan.FromMilliseconds(50));
        HoldAllBut(new PieceId(0, 0));
        Assert.Single(scheduler.Plan(Input(0, [], playhead: -1)).OriginRanges);

        var a = Neighbour(1);
        _availability.AddHave(a.Id, 0, 0, 0);
        Assert.Empty(scheduler.Plan(Input(0.1, [a], playhead: -1)).Requests);
        // Three answer times gone (and the floor): the origin is late, the neighbour may still make it.
        var plan = scheduler.Plan(Input(0.3, [a], playhead: -1));
        Assert.Equal([(a.Id, new PieceId(0, 0))], plan.Requests);
        Assert.Empty(plan.OriginRanges);
    }

    [Fact]
    public void A_download_goes_rarest_first_and_seeds_only_what_nobody_around_holds_within_the_origin_bound()
    {
        var scheduler = new PieceScheduler(SchedulerSettings.Default with { MaxOriginRequestsInFlight = 1 });
        var a = Neighbour(1);
        // Segment 1: one piece around; segment 2: all of it; the other 18 segments: nothing.
        _availability.AddHave(a.Id, 1, 3, 3);
        _availability.AddHave(a.Id, 2, 0, 3);
        var download = Input(0, [a], swarmSize: 1) with { Download = true };
        var plan = scheduler.Plan(download);

        var seed = Assert.Single(plan.OriginRanges);
        Assert.False(seed.Urgent);
        Assert.DoesNotContain(seed.Segment, new long[] { 1, 2 });
        Assert.Equal(5, plan.Requests.Count);
        Assert.All(plan.Requests, r => Assert.Equal(a.Id, r.Neighbour));
        // Piece (1,3) is held by one neighbour only, like segment 2's, whatever its deadline: all five are asked for.
        Assert.Contains((a.Id, new PieceId(1, 3)), plan.Requests);

        // The origin bound holds however long it waits; nothing turns urgent.
        var later = scheduler.Plan(download with { Now = At(60) });
        Assert.Empty(later.OriginRanges);
    }

    [Fact]
    public void An_idle_download_takes_pieces_nobody_around_holds_from_the_origin()
    {
        var scheduler = new PieceScheduler(SchedulerSettings.Default with { OriginCopiesPerPiece = 0 });
        var a = Neighbour(1);
        HoldAllBut(new PieceId(4, 2));
        // Segment 4 is held around (piece 0), but its missing piece 2 by nobody around: after a while with nothing else
        // to do, the download asks the origin, seeding draw or not.
        _availability.AddHave(a.Id, 4, 0, 0);
        var download = Input(0, [a]) with { Download = true };
        Assert.Empty(scheduler.Plan(download).OriginRanges);
        var patience = SchedulerSettings.Default.SeedAgeGrace * SchedulerSettings.Default.DownloadSeedSlowdown;
        var range = Assert.Single(scheduler.Plan(download with { Now = At(patience.TotalSeconds) }).OriginRanges);
        Assert.Equal((4L, 2, 1), (range.Segment, range.FirstPiece, range.PieceCount));

        // While a neighbour still has something for us, the piece waits for the swarm.
        var busy = new PieceScheduler(SchedulerSettings.Default with { OriginCopiesPerPiece = 0 });
        _holdings.Pieces.Remove(new PieceId(5, 1));
        _availability.AddHave(a.Id, 5, 1, 1);
        var plan = busy.Plan(download);
        Assert.Equal([(a.Id, new PieceId(5, 1))], plan.Requests);
        Assert.Empty(plan.OriginRanges);
    }

    private void HoldAllBut(PieceId missing) =>
        _holdings.Pieces.UnionWith(Enumerable.Range(0, 20).SelectMany(s => Enumerable.Range(0, 4).Select(i => new PieceId(s, i))).Where(k => k != missing));

    [Fact]
    public void Nothing_beyond_the_peer_window_is_fetched()
    {
        var scheduler = new PieceScheduler(NoSeeding with { MaxRequestsInFlightPerNeighbour = 1000 });
        var n = Neighbour(1);
        for (var s = 0; s < 20; s++) _availability.AddHave(n.Id, s, 0, 3);
        var plan = scheduler.Plan(Input(0, [n]));
        var horizon = scheduler.Zones.UrgentHorizon + scheduler.Zones.PeerWindow;
        Assert.All(plan.Requests, r => Assert.True(_segments[(int)r.Key.SegmentSequence].MediaTimeOf(r.Key.PieceIndex) <= horizon.TotalSeconds));
        Assert.True(plan.Requests.Count < 80);
    }

    [Fact]
    public void Passes_of_different_schedulers_on_one_thread_share_nothing_and_a_reused_plan_starts_empty()
    {
        // Two nodes' schedulers planning in turn on one thread reuse the same working lists, and a driver may hand the
        // same plan object back each pass: the decisions must be those each would take alone with fresh objects.
        var a = Neighbour(1);
        var b = Neighbour(2, rate: 50_000);
        for (var s = 0; s < 20; s++) _availability.AddHave(a.Id, s, 0, 2);
        _availability.AddHave(b.Id, 3, 3, 3);
        var first = Input(0, [a, b], playhead: 0);
        var second = Input(0.5, [b], playhead: 4) with { NodeSeed = 7 };

        var alone = new[] { new PieceScheduler(SchedulerSettings.Default), new PieceScheduler(SchedulerSettings.Default) };
        var expected = new[] { Describe(alone[0].Plan(first)), Describe(alone[1].Plan(second)), Describe(alone[0].Plan(first with { Now = At(1) })) };

        var together = new[] { new PieceScheduler(SchedulerSettings.Default), new PieceScheduler(SchedulerSettings.Default) };
        var reused = new SchedulePlan();
        var actual = new[]
        {
            Describe(together[0].Plan(first, reused)),
            Describe(together[1].Plan(second, reused)),
            Describe(together[0].Plan(first with { Now = At(1) }, reused)),
        };
        Assert.Equal(expected, actual);
        Assert.NotEqual(expected[0], expected[1]);
    }

    private static string Describe(SchedulePlan plan) =>
        string.Join(" ", plan.Requests.Select(r => $"R{r.Neighbour.Value}:{r.Key}")) + " | " +
        string.Join(" ", plan.Cancels.Select(r => $"C{r.Neighbour.Value}:{r.Key}")) + " | " +
        string.Join(" ", plan.OriginRanges.Select(r => $"O{r.Segment}/{r.FirstPiece}+{r.PieceCount}{(r.Urgent ? "!" : "")}")) + $" | d{plan.Duplicates} s{plan.Stalled.Count}";
}
