using CsCheck;
using Shoal.Core.Content;
using Shoal.Engine.Scheduling;
using static Shoal.Engine.Tests.Scheduling.SchedulingFixture;

namespace Shoal.Engine.Tests.Scheduling;

public sealed class RequestBookTests
{
    private static readonly NeighbourId A = new(1);
    private static readonly NeighbourId B = new(2);

    [Fact]
    public void A_list_given_back_by_a_completed_piece_starts_empty_for_the_next()
    {
        var book = new RequestBook();
        var first = new PieceId(1, 0);
        var second = new PieceId(1, 1);
        book.Add(new InFlightRequest(first, A, At(0), At(1)));
        book.Add(new InFlightRequest(first, B, At(0), At(1)));
        var others = new List<NeighbourId>();
        book.Complete(first, others);

        book.Add(new InFlightRequest(second, B, At(2), At(3)));

        Assert.Equal([A, B], others);
        Assert.False(book.IsRequested(first));
        Assert.Empty(book.For(first));
        Assert.Equal([B], book.For(second).Select(r => r.Neighbour!.Value));
        Assert.Equal(0, book.InFlightTo(A));
        Assert.Equal(1, book.InFlightTo(B));
        Assert.True(book.AnyToNeighbours);
    }

    [Fact]
    public void Removing_the_last_request_of_each_kind_leaves_nothing_behind()
    {
        var book = new RequestBook();
        var key = new PieceId(3, 2);
        var range = new OriginRange(7, 3, 2, 1, 0, 100, Urgent: true);
        book.AddOrigin(range, At(0), At(1));
        book.Add(new InFlightRequest(key, A, At(0), At(1)));

        Assert.True(book.Remove(key, A));
        Assert.False(book.AnyToNeighbours);
        Assert.True(book.IsFromOrigin(key));
        Assert.Equal(range, book.CompleteOrigin(7));
        Assert.False(book.IsRequested(key));
        Assert.Equal(0, book.OriginRangesInFlight);
    }

    [Fact]
    public void Discarding_old_segments_counts_off_neighbour_requests_that_shared_a_piece_with_the_origin()
    {
        var book = new RequestBook();
        var old = new PieceId(4, 0);
        book.AddOrigin(new OriginRange(1, 4, 0, 1, 0, 100, Urgent: true), At(0), At(1));
        book.Add(new InFlightRequest(old, A, At(0), At(1)));
        book.Add(new InFlightRequest(new PieceId(5, 0), A, At(0), At(1)));

        book.DiscardSegmentsBelow(5);

        Assert.False(book.IsRequested(old));
        Assert.Equal(1, book.InFlightTo(A));
        Assert.Equal(0, book.OriginRangesInFlight);
        Assert.True(book.AnyToNeighbours);
    }

    [Fact]
    public void An_origin_range_walks_its_pieces_in_order()
    {
        var range = new OriginRange(1, 9, 3, 3, 0, 300, Urgent: false);
        Assert.Equal([new PieceId(9, 3), new PieceId(9, 4), new PieceId(9, 5)], range.Pieces.ToList());
        Assert.Equal(3, range.Pieces.Count);
    }

    [Fact]
    public void IsRequested_agrees_with_the_requests_listed_whatever_segments_share_a_bit_slot()
    {
        // Segments 0..40 share the 16 slots of the bits, and pieces from 64 on have no bit: both take the slow path.
        var op = Gen.Select(Gen.Int[0, 5], Gen.Long[0, 40], Gen.Int[0, 70], Gen.Int[1, 3]);
        op.Array[1, 120].Sample(ops =>
        {
            var book = Replay(ops);
            var listed = book.All.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Count());
            for (var segment = 0L; segment <= 40; segment++)
                for (var piece = 0; piece <= 70; piece++)
                {
                    var key = new PieceId(segment, piece);
                    var count = listed.GetValueOrDefault(key);
                    if (book.IsRequested(key) != count > 0 || book.For(key).Count != count) return false;
                }
            return true;
        });
    }

    [Fact]
    public void Whether_the_origin_is_late_with_a_piece_agrees_with_its_listed_requests_at_any_time()
    {
        // Ranges with different due times, some finishing, some pieces arriving from a neighbour first, old segments
        // discarded: the quick "no origin range is due yet" answer must never differ from the requests themselves.
        var op = Gen.Select(Gen.Int[0, 5], Gen.Long[0, 12], Gen.Int[0, 7], Gen.Int[1, 40]);
        op.Array[1, 60].Sample(ops =>
        {
            var book = new RequestBook();
            var nextRange = 0L;
            foreach (var (kind, segment, piece, tenths) in ops)
            {
                var key = new PieceId(segment, piece);
                switch (kind)
                {
                    case 0:
                    case 1: book.AddOrigin(new OriginRange(++nextRange, segment, piece, 1 + (tenths % 3), 0, 100, Urgent: false), At(0), At(tenths / 10.0)); break;
                    case 2: book.CompleteOrigin(1 + (tenths % Math.Max(1, nextRange))); break;
                    case 3: book.Complete(key, []); break;
                    case 4: book.Add(new InFlightRequest(key, A, At(0), At(tenths / 10.0))); break;
                    default: book.DiscardSegmentsBelow(segment / 3); break;
                }
            }
            for (var tenths = 0; tenths <= 45; tenths++)
            {
                var now = At(tenths / 10.0);
                for (var segment = 0L; segment <= 12; segment++)
                    for (var piece = 0; piece < 10; piece++)
                    {
                        var key = new PieceId(segment, piece);
                        var asked = book.For(key);
                        var lateAtOrigin = asked.Any(r => r.Neighbour is null && r.ExpectedBy < now);
                        var onlyLateAtOrigin = asked.Count > 0 && asked.All(r => r.Neighbour is null && r.ExpectedBy < now);
                        if (book.IsOverdueAtOrigin(key, now) != lateAtOrigin || book.IsOnlyOverdueAtOrigin(key, now) != onlyLateAtOrigin) return false;
                    }
            }
            return true;
        });
    }

    [Fact]
    public void The_count_in_flight_to_each_neighbour_agrees_with_the_requests_listed()
    {
        // Twelve neighbours, more than the count list's first capacity, coming and going in any order.
        var op = Gen.Select(Gen.Int[0, 6], Gen.Long[0, 6], Gen.Int[0, 5], Gen.Int[1, 12]);
        op.Array[1, 150].Sample(ops =>
        {
            var book = Replay(ops);
            var listed = book.All.Where(r => r.Neighbour is not null).GroupBy(r => r.Neighbour!.Value).ToDictionary(g => g.Key, g => g.Count());
            return Enumerable.Range(1, 12).All(n => book.InFlightTo(new NeighbourId(n)) == listed.GetValueOrDefault(new NeighbourId(n))) &&
                book.AnyToNeighbours == listed.Count > 0;
        });
    }

    /// <summary>
    /// A book after random operations: 0 and 1 ask a neighbour, 2 withdraws, 3 completes the piece, 4 asks the origin
    /// for it, 5 forgets the neighbour, 6 discards the segments below.
    /// </summary>
    private static RequestBook Replay(IEnumerable<(int Kind, long Segment, int Piece, int Neighbour)> ops)
    {
        var book = new RequestBook();
        var nextRange = 0L;
        foreach (var (kind, segment, piece, neighbour) in ops)
        {
            var key = new PieceId(segment, piece);
            var id = new NeighbourId(neighbour);
            switch (kind)
            {
                case 0:
                case 1: book.Add(new InFlightRequest(key, id, At(0), At(1))); break;
                case 2: book.Remove(key, id); break;
                case 3: book.Complete(key, []); break;
                case 4: book.AddOrigin(new OriginRange(++nextRange, segment, piece, 1, 0, 100, Urgent: false), At(0), At(1)); break;
                case 5: book.RemoveNeighbour(id); break;
                default: book.DiscardSegmentsBelow(segment); break;
            }
        }
        return book;
    }
}
