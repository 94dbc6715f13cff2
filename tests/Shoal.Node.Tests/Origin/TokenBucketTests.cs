using Microsoft.Extensions.Time.Testing;
using Shoal.Node.Origin;

namespace Shoal.Node.Tests.Origin;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_full_bucket_lets_its_capacity_through_at_once_and_makes_the_rest_wait_at_the_rate()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(bytesPerSecond: 1000, capacityBytes: 500, time);

        Assert.Equal(TimeSpan.Zero, bucket.Reserve(500));
        Assert.Equal(TimeSpan.FromSeconds(0.25), bucket.Reserve(250));

        // Concurrent senders queue behind each other: the next reservation waits for both debts.
        Assert.Equal(TimeSpan.FromSeconds(0.5), bucket.Reserve(250));
    }

    [Fact]
    public void Tokens_refill_with_time_but_never_beyond_the_capacity()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(1000, 500, time);
        bucket.Reserve(500);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.Zero, bucket.Reserve(500));
        Assert.Equal(TimeSpan.FromSeconds(0.1), bucket.Reserve(100));
    }

    [Fact]
    public async Task ConsumeAsync_completes_only_once_the_clock_has_repaid_the_debt()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(1000, 100, time);
        await bucket.ConsumeAsync(100, TestContext.Current.CancellationToken);

        var waiting = bucket.ConsumeAsync(1000, TestContext.Current.CancellationToken).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
