using CsCheck;
using Shoal.Simulation.Flow;

namespace Shoal.Simulation.Tests.Flow;

public sealed class StepWheelTests
{
    [Fact]
    public void Takes_out_what_a_priority_queue_would_in_the_same_order()
    {
        // Narrow buckets and a small ring, so that items land in the past, in the far queue, and in the bucket the
        // cut-off falls in; cut-offs that move on by uneven amounts, sometimes not at all.
        var operation = Gen.Select(Gen.Bool, Gen.Long[-300, 3000], Gen.Long[0, 400]);
        Gen.Select(Gen.Int[1, 60], Gen.Int[2, 8], operation.Array[1, 300]).Sample((width, buckets, operations) =>
        {
            var wheel = new StepWheel<int>(TimeSpan.FromMicroseconds(width), buckets);
            var reference = new PriorityQueue<int, (long, long)>();
            var until = 0L;
            var taken = new List<(long, long, int)>();
            for (var i = 0; i < operations.Length; i++)
            {
                var (add, offset, advance) = operations[i];
                if (add)
                {
                    // A tie shared with another item at the same instant gives two equal keys, as a re-queued plan does.
                    var tie = i % 7;
                    wheel.Add(until + offset, tie, i);
                    reference.Enqueue(i, (until + offset, tie));
                    continue;
                }
                until += advance;
                taken.Clear();
                wheel.TakeBefore(until, taken);
                var expected = new List<(long, long)>();
                while (reference.TryPeek(out _, out var key) && key.Item1 < until)
                {
                    reference.Dequeue();
                    expected.Add(key);
                }
                Assert.Equal(expected, taken.Select(t => (t.Item1, t.Item2)).ToList());
                Assert.Equal(reference.Count, wheel.Count);
            }
        });
    }

    [Fact]
    public void An_item_due_before_the_last_cut_off_comes_out_at_the_next_one()
    {
        var wheel = new StepWheel<string>(TimeSpan.FromMilliseconds(100));
        var taken = new List<(long, long, string)>();
        wheel.Add(250_000, 1, "later");
        wheel.TakeBefore(200_000, taken);
        Assert.Empty(taken);
        // Due before a cut-off already passed, and asked for again at that same cut-off (a bucket boundary).
        wheel.Add(50_000, 2, "late");
        wheel.TakeBefore(200_000, taken);
        Assert.Equal(["late"], taken.Select(t => t.Item3));
        wheel.TakeBefore(300_000, taken);
        Assert.Equal(["late", "later"], taken.Select(t => t.Item3));
    }

    [Fact]
    public void A_bucket_must_have_a_width()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepWheel<int>(TimeSpan.Zero));
    }
}
