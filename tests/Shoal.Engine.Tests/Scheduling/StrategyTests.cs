using CsCheck;
using Shoal.Core.Content;
using Shoal.Engine.Scheduling;
using static Shoal.Engine.Tests.Scheduling.SchedulingFixture;

namespace Shoal.Engine.Tests.Scheduling;

public sealed class StrategyTests
{
    private static readonly SchedulerSettings Settings = SchedulerSettings.Default;

    [Fact]
    public void Medians_select_the_value_a_sort_puts_at_the_middle_index()
    {
        // Duplicates included (few distinct values), as RTTs of neighbours on one link class are.
        Gen.Long[0, 12].Array[1, 70].Sample(ticks =>
        {
            var sorted = ticks.Order().ToArray();
            Assert.Equal(TimeSpan.FromTicks(sorted[ticks.Length / 2]), Medians.Of(ticks.Select(TimeSpan.FromTicks).ToList()));
        });
        Gen.Double[0, 1e7].Array[1, 70].Sample(rates =>
        {
            var sorted = rates.Order().ToArray();
            Assert.Equal(sorted[rates.Length / 2], Medians.Of(rates.ToList()));
        });
        Assert.Null(Medians.Of(new List<double>()));
    }

    [Fact]
    public void Playhead_gives_deadlines_from_position_and_rate()
    {
        var playing = new Playhead(At(10), MediaSeconds: 4, Rate: 2);
        Assert.Equal(At(11), playing.DeadlineOf(6, At(10.5)));
        var paused = new Playhead(At(10), MediaSeconds: 4, Rate: 0);
        Assert.Equal(At(22), paused.DeadlineOf(6, At(20)));
    }

    [Fact]
    public void Segment_timing_cuts_pieces_with_a_short_last_one()
    {
        var timing = new SegmentTiming(7, 40_000, PieceSize, 14, 2);
        Assert.Equal(3, timing.PieceCount);
        Assert.Equal(40_000 - 2 * PieceSize, timing.PieceLength(2));
        Assert.Equal(2 * PieceSize, timing.PieceOffset(2));
        Assert.Equal(14 + 2.0 / 3, timing.MediaTimeOf(1), 9);
    }

    [Fact]
    public void Zones_split_by_time_to_deadline_and_grow_with_slow_neighbours()
    {
        var zones = new ZoneChooser(Settings);
        Assert.Equal(Zone.Urgent, zones.Classify(TimeSpan.FromSeconds(1)));
        Assert.Equal(Zone.PeerWindow, zones.Classify(TimeSpan.FromSeconds(5)));
        Assert.Equal(Zone.Beyond, zones.Classify(TimeSpan.FromSeconds(100)));

        // A neighbour that needs ~3.4 s per piece: the urgent horizon grows (to its cap).
        zones.Adapt(TimeSpan.FromMilliseconds(100), typicalRate: 5_000, PieceSize, aggregatePeerRate: 5_000, streamRate: 250_000);
        Assert.Equal(Settings.MaximumUrgentHorizon, zones.UrgentHorizon);
        Assert.Equal(Zone.Urgent, zones.Classify(Settings.MaximumUrgentHorizon - TimeSpan.FromMilliseconds(1)));

        // Neighbours four times faster than the stream: the peer window stretches.
        zones.Adapt(TimeSpan.FromMilliseconds(20), typicalRate: 1_000_000, PieceSize, aggregatePeerRate: 1_000_000, streamRate: 250_000);
        Assert.Equal(Settings.MinimumUrgentHorizon, zones.UrgentHorizon);
        Assert.Equal(Settings.MaximumPeerWindow, zones.PeerWindow);
    }

    [Fact]
    public void Candidate_order_is_earliest_deadline_first_then_rarest()
    {
        var now = At(0);
        var candidates = new List<PieceCandidate>
        {
            new(new PieceId(1, 0), At(5.1), PieceSize, Holders: 5),
            new(new PieceId(1, 1), At(5.3), PieceSize, Holders: 1),
            new(new PieceId(0, 3), At(2.0), PieceSize, Holders: 9),
            new(new PieceId(2, 0), At(8.0), PieceSize, Holders: 1),
        };
        candidates.Sort(new CandidateOrder(now, TimeSpan.FromSeconds(1)));
        Assert.Equal([new PieceId(0, 3), new PieceId(1, 1), new PieceId(1, 0), new PieceId(2, 0)], candidates.Select(c => c.Key));
    }

    [Theory]
    [InlineData(0UL, null)]
    [InlineData(77UL, null)]
    [InlineData(77UL, 3.0)]
    [InlineData(5UL, double.NegativeInfinity)]
    public void Sorting_by_keys_gives_the_comparer_s_order(ulong nodeSeed, double? rarestBeyondSeconds)
    {
        TimeSpan? rarestBeyond = rarestBeyondSeconds switch
        {
            null => null,
            double.NegativeInfinity => TimeSpan.MinValue,
            { } seconds => TimeSpan.FromSeconds(seconds),
        };
        var random = new Random(11);
        var keys = new CandidateSortKey[4];
        for (var round = 0; round < 200; round++)
        {
            // Few distinct deadlines and holder counts, so that every tie-break is reached.
            var candidates = Enumerable.Range(0, random.Next(0, 300))
                .Select(i => new PieceCandidate(new PieceId(random.Next(0, 6), i), At(random.Next(0, 12) * 0.5), PieceSize, random.Next(0, 4)))
                .ToList();
            var order = new CandidateOrder(At(1), TimeSpan.FromSeconds(1), nodeSeed, rarestBeyond);
            var expected = candidates.ToList();
            expected.Sort(order);

            order.Sort(candidates, ref keys);

            Assert.Equal(expected, candidates);
        }
    }

    [Fact]
    public void Neighbour_chooser_prefers_the_soonest_expected_delivery_within_its_bound()
    {
        var segments = Segments(1);
        var availability = Availability(segments);
        var key = new PieceId(0, 0);
        var fast = Neighbour(1, rate: 2_000_000, rttMs: 50);
        var slow = Neighbour(2, rate: 100_000, rttMs: 10);
        var choking = Neighbour(3, rate: 10_000_000, rttMs: 1, choking: true);
        foreach (var n in new[] { fast, slow, choking }) availability.AddHave(n.Id, 0, 0, 3);
        var book = new RequestBook();
        var chooser = new NeighbourChooser(Settings);

        Assert.Equal(fast.Id, chooser.Choose(key, PieceSize, [fast, slow, choking], availability, book)!.Value.Neighbour.Id);

        // Fill the fast neighbour's queue up to its bound: the slow one gets the piece.
        for (var i = 0; i < Settings.MaxRequestsInFlightPerNeighbour; i++)
            book.Add(new InFlightRequest(new PieceId(9, i), fast.Id, At(0), At(1)));
        Assert.Equal(slow.Id, chooser.Choose(key, PieceSize, [fast, slow, choking], availability, book)!.Value.Neighbour.Id);

        var throttled = fast with { Id = new NeighbourId(4), Throttled = true };
        availability.AddHave(throttled.Id, 0, 0, 3);
        book.Add(new InFlightRequest(new PieceId(9, 0), throttled.Id, At(0), At(1)));
        Assert.Equal(Settings.ThrottledRequestsInFlight, chooser.Capacity(throttled));
        Assert.NotEqual(throttled.Id, chooser.Choose(key, PieceSize, [throttled, slow], availability, book)!.Value.Neighbour.Id);
    }

    [Fact]
    public void A_request_stalls_only_well_past_its_expected_time()
    {
        var stalls = new StallPolicy(Settings);
        var request = new InFlightRequest(new PieceId(0, 0), new NeighbourId(1), At(10), At(11));
        Assert.False(stalls.IsStalled(request, At(12.9)));
        Assert.True(stalls.IsStalled(request, At(13.1)));
        var quick = request with { ExpectedBy = At(10.01) };
        Assert.False(stalls.IsStalled(quick, At(11.9)), "the floor keeps a short estimate from tripping on one slow RTT");
        Assert.True(stalls.IsStalled(quick, At(12.1)));
    }

    [Fact]
    public void End_game_duplicates_only_when_it_pays()
    {
        var endGame = new EndGamePolicy(Settings);
        var existing = new[] { new InFlightRequest(new PieceId(0, 0), new NeighbourId(1), At(0), At(4)) };
        // The request out lands at 4 s, after the piece turns urgent at 3 s: a much faster neighbour pays.
        Assert.True(endGame.ShouldDuplicate(existing, TimeSpan.FromSeconds(1), At(1), needBy: At(3)));
        Assert.False(endGame.ShouldDuplicate(existing, TimeSpan.FromSeconds(2), At(1), needBy: At(3)), "not enough faster");
        Assert.False(endGame.ShouldDuplicate(existing, TimeSpan.FromSeconds(1), At(1), needBy: At(5)), "the request out is in time");
        Assert.False(endGame.ShouldDuplicate(existing, TimeSpan.FromSeconds(1), At(1), needBy: At(1.5)), "the duplicate would be late too");
        var two = existing.Append(existing[0] with { Neighbour = new NeighbourId(2) }).ToArray();
        Assert.False(endGame.ShouldDuplicate(two, TimeSpan.FromMilliseconds(1), At(1), needBy: At(3)));
        // A download has no deadline: only the gain counts.
        Assert.True(endGame.ShouldDuplicate(existing, TimeSpan.FromSeconds(1), At(1), needBy: null));
        Assert.False(endGame.ShouldDuplicate(existing, TimeSpan.FromSeconds(2), At(1), needBy: null), "not enough faster");
    }

    [Fact]
    public void Pieces_beyond_the_rarest_first_horizon_go_rarest_first_whatever_their_deadlines()
    {
        var now = At(0);
        var candidates = new List<PieceCandidate>
        {
            new(new PieceId(2, 0), At(6.0), PieceSize, Holders: 9),
            new(new PieceId(5, 0), At(12.0), PieceSize, Holders: 1),
            new(new PieceId(0, 3), At(2.0), PieceSize, Holders: 9),
        };
        candidates.Sort(new CandidateOrder(now, TimeSpan.FromSeconds(1), rarestBeyond: TimeSpan.FromSeconds(5)));
        // The piece due in 2 s keeps its place; beyond 5 s the rare one goes before the common one due sooner.
        Assert.Equal([new PieceId(0, 3), new PieceId(5, 0), new PieceId(2, 0)], candidates.Select(c => c.Key));
        candidates.Sort(new CandidateOrder(now, TimeSpan.FromSeconds(1), rarestBeyond: TimeSpan.MinValue));
        Assert.Equal(new PieceId(5, 0), candidates[0].Key);
    }

    [Fact]
    public void New_segments_get_an_age_and_those_present_at_the_start_do_not()
    {
        var ages = new SegmentAges();
        ages.Observe(Segments(3), At(0));
        ages.Observe(Segments(5), At(4));
        Assert.Equal(TimeSpan.Zero, ages.AgeOf(2, At(10)));
        Assert.Equal(TimeSpan.FromSeconds(6), ages.AgeOf(4, At(10)));

        var download = new SegmentAges();
        download.Observe(Segments(3), At(1), countFromStart: true);
        Assert.Equal(TimeSpan.FromSeconds(9), download.AgeOf(0, At(10)));
    }

    [Fact]
    public void A_new_segment_nobody_holds_draws_one_more_seeder_per_grace_period()
    {
        var seeding = new OriginSeeding(Settings);
        var relaxed = TimeSpan.FromSeconds(30);
        var fresh = seeding.Probability(100, false, relaxed);
        Assert.Equal(fresh, seeding.Probability(100, false, relaxed, age: Settings.SeedAgeGrace / 2), 9);
        Assert.Equal(3 * fresh / Settings.OriginCopiesPerPiece, seeding.Probability(100, false, relaxed, age: Settings.SeedAgeGrace * 3), 9);
    }

    [Fact]
    public void An_origin_range_is_late_after_a_few_of_its_measured_answers()
    {
        var timing = new OriginTiming(Settings);
        var cap = TimeSpan.FromSeconds(2);
        Assert.Equal(cap, timing.LateAfter(cap));
        timing.Answered(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(100) * Settings.OriginLateFactor, timing.LateAfter(cap));
        for (var i = 0; i < 50; i++) timing.Answered(TimeSpan.FromSeconds(10));
        Assert.Equal(cap, timing.LateAfter(cap));

        var quick = new OriginTiming(Settings);
        quick.Answered(TimeSpan.FromMilliseconds(10));
        Assert.Equal(Settings.MinimumOriginLateness, quick.LateAfter(cap));
    }

    [Fact]
    public void Origin_seeding_takes_a_few_copies_whatever_the_swarm_size()
    {
        var seeding = new OriginSeeding(Settings);
        var relaxed = TimeSpan.FromSeconds(30);
        foreach (var size in new[] { 10, 100 })
        {
            var copies = 0;
            var pieces = 2000;
            for (var node = 0UL; node < (ulong)size; node++)
                for (var p = 0; p < pieces; p++)
                    if (seeding.ShouldSeed(node * 7919, new PieceId(p / 8, p % 8), size, superPeer: false, relaxed)) copies++;
            Assert.InRange(copies / (double)pieces, Settings.OriginCopiesPerPiece * 0.85, Settings.OriginCopiesPerPiece * 1.15);
        }
        Assert.Equal(seeding.Probability(100, false, relaxed) * Settings.SuperPeerSeedBoost, seeding.Probability(100, true, relaxed), 9);
        Assert.Equal(1.0, seeding.Probability(100, false, TimeSpan.Zero));
        Assert.Equal(4 * seeding.Probability(100, false, relaxed), seeding.Probability(100, false, Settings.SeedEscalation - TimeSpan.FromSeconds(1)), 9);
        Assert.Equal(OriginSeeding.Draw(42, new PieceId(3, 1)), OriginSeeding.Draw(42, new PieceId(3, 1)));
    }

    [Fact]
    public void Adjacent_origin_pieces_coalesce_into_one_range()
    {
        var segments = Segments(2, piecesPerSegment: 100);
        var coalescer = new OriginRangeCoalescer(Settings with { MaxOriginRangeBytes = 4 * PieceSize });
        long id = 0;
        var pieces = new (PieceId, bool)[]
        {
            (new PieceId(0, 3), false), (new PieceId(0, 1), true), (new PieceId(0, 2), false),
            (new PieceId(0, 7), false), (new PieceId(1, 0), false),
            (new PieceId(1, 1), false), (new PieceId(1, 2), false), (new PieceId(1, 3), false), (new PieceId(1, 4), false),
        };
        var ranges = coalescer.Coalesce(pieces, segments, ref id);
        Assert.Equal(
            [(0L, 1, 3, true), (0L, 7, 1, false), (1L, 0, 4, false), (1L, 4, 1, false)],
            ranges.Select(r => (r.Segment, r.FirstPiece, r.PieceCount, r.Urgent)));
        Assert.Equal(PieceSize, ranges[0].Offset);
        Assert.Equal(3L * PieceSize, ranges[0].Length);
        Assert.Equal(ranges.Count, ranges.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Origin_ranges_do_not_depend_on_the_order_the_pieces_come_in()
    {
        // The coalescer skips its sort when the pieces come in order: in any other order it must give the same ranges.
        var segments = Segments(3, piecesPerSegment: 12);
        var coalescer = new OriginRangeCoalescer(Settings with { MaxOriginRangeBytes = 3 * PieceSize });
        Gen.Select(Gen.Long[0, 3], Gen.Int[0, 11], Gen.Bool).Array[0, 30].Select(Gen.Int).Sample((draws, shuffleSeed) =>
        {
            var pieces = draws.Select(d => (Key: new PieceId(d.Item1, d.Item2), Urgent: d.Item3)).DistinctBy(p => p.Key).ToList();
            var ordered = pieces.OrderBy(p => p.Key).ToList();
            var shuffled = ordered.ToList();
            new Random(shuffleSeed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
            long firstId = 0, secondId = 0;
            var fromOrdered = coalescer.Coalesce(ordered, segments, ref firstId);
            var fromShuffled = coalescer.Coalesce(shuffled, segments, ref secondId);
            Assert.Equal(fromOrdered, fromShuffled);
            // Segment 3 is not in the pass: its pieces are skipped. Every other piece is in exactly one range.
            Assert.Equal(ordered.Count(p => p.Key.SegmentSequence < 3), fromOrdered.Sum(r => r.PieceCount));
            Assert.All(fromOrdered, r => Assert.Equal(ordered.Any(p => p.Urgent && p.Key.SegmentSequence == r.Segment &&
                p.Key.PieceIndex >= r.FirstPiece && p.Key.PieceIndex < r.FirstPiece + r.PieceCount), r.Urgent));
        });
    }

    [Fact]
    public void Availability_counts_rarity_and_slides_its_window()
    {
        var segments = Segments(3);
        var availability = Availability(segments);
        Assert.Equal(4, availability.AddHave(new NeighbourId(1), 0, 0, 3));
        Assert.Equal(0, availability.AddHave(new NeighbourId(1), 0, 1, 2));
        availability.AddHave(new NeighbourId(2), 0, 2, 99);
        availability.AddHave(new NeighbourId(2), 1, 0, 0);
        Assert.Equal(0, availability.AddHave(new NeighbourId(2), 17, 0, 0));
        Assert.Equal(2, availability.HolderCount(new PieceId(0, 3)));
        Assert.Equal(1, availability.HolderCount(new PieceId(0, 0)));

        availability.RemoveNeighbour(new NeighbourId(1));
        Assert.Equal(1, availability.HolderCount(new PieceId(0, 3)));
        availability.RemoveHave(new NeighbourId(2), new PieceId(0, 3));
        Assert.Equal(0, availability.HolderCount(new PieceId(0, 3)));

        availability.DiscardSegmentsBelow(1);
        Assert.False(availability.Has(new NeighbourId(2), new PieceId(0, 2)));
        Assert.True(availability.Has(new NeighbourId(2), new PieceId(1, 0)));
        Assert.Equal(0, availability.AddHave(new NeighbourId(2), 0, 0, 3));
    }

    [Fact]
    public void Rate_meter_follows_a_steady_rate_and_decays_when_idle()
    {
        var meter = new SmoothedRate(TimeSpan.FromSeconds(1));
        for (var t = 0; t <= 100; t++) meter.Add(At(t * 0.1), 10_000);
        Assert.InRange(meter.RateAt(At(10.05)), 90_000, 110_000);
        Assert.True(meter.RateAt(At(20)) < 1_000);
        Assert.Equal(1_010_000, meter.TotalBytes);
    }
}
