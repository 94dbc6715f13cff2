using Shoal.Tracker.Bench;
using Shoal.Tracker.Tests.Support;

namespace Shoal.Tracker.Tests.Client;

public sealed class AnnounceLoadGeneratorTests
{
    [Fact]
    public async Task A_bounded_run_counts_every_announce_once_and_fills_the_swarms()
    {
        await using var tracker = TestTracker.Start();
        var options = new AnnounceLoadOptions { Clients = 3, Swarms = 2, PeersPerClient = 10, MaxAnnounces = 600, Duration = TimeSpan.FromMinutes(1) };
        var result = await AnnounceLoadGenerator.RunAsync(tracker.EndPoint, options, TestContext.Current.CancellationToken);

        Assert.Equal(600, result.Announces + result.Lost + result.Errors);
        Assert.True(result.Announces > 0);
        Assert.True(tracker.Server.Counters.Announces >= result.Announces); // the tracker saw at least what was answered
        Assert.Equal(result.Announces + result.Errors, result.LatencySamplesMs.Count); // one latency per answer received
        Assert.True(result.PeersReturned > 0);
        var rids = AnnounceLoadGenerator.SwarmRids(2);
        var members = 0;
        foreach (var rid in rids)
        {
            var counts = await tracker.Store.ScrapeAsync(rid, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
            members += counts.Seeders + counts.Leechers;
        }

        Assert.InRange(members, 2, 3 * 10 * 2);
    }
}
