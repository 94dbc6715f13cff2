using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Shoal.Core.Identity;
using Shoal.Dht.Service;

namespace Shoal.Dht.Tests.Service;

public sealed class ReannounceTests
{
    private static DhtService Start(int seed, TimeProvider time) =>
        DhtService.Start(new DhtServiceOptions { Bind = new IPEndPoint(IPAddress.Loopback, 0), Seed = seed }, time);

    private static Task Settled(params DhtService[] services) =>
        Task.WhenAll(services.Select(s => s.WhenIdleAsync())).WaitAsync(TimeSpan.FromSeconds(20));

    [Fact]
    public async Task A_kept_announcement_outlives_the_thirty_minute_expiry_and_a_single_one_does_not()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var a = Start(31, time);
        await using var b = Start(32, time);
        await using var c = Start(33, time);
        await b.BootstrapAsync([a.LocalEndPoint], ct);
        await c.BootstrapAsync([a.LocalEndPoint], ct);

        var kept = Rid.ForUrl("https://cdn.example.com/kept.m3u8");
        var once = Rid.ForUrl("https://cdn.example.com/once.m3u8");
        Assert.True(await c.AnnounceAsync(once, 7001, ct) >= 1);

        var rounds = Channel.CreateUnbounded<int>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var keeping = b.KeepAnnouncingAsync(kept, 7000, n => rounds.Writer.TryWrite(n), stop.Token);
        Assert.True(await rounds.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), ct) >= 1);
        await Settled(a, b, c);

        // 15 minutes later the second round runs; at 31 minutes only the kept entry is still stored.
        time.Advance(TimeSpan.FromMinutes(15));
        Assert.True(await rounds.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), ct) >= 1);
        await Settled(a, b, c);
        time.Advance(TimeSpan.FromMinutes(16));

        var seeker = await a.GetPeersAsync(kept, ct);
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 7000), seeker);
        Assert.Empty(await a.GetPeersAsync(once, ct));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => keeping);
    }
}
