using System.Net;
using Shoal.Core.Identity;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Tests.Support;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Client;

/// <summary>Shoal's BEP 15 client against an independent tracker: Debian's opentracker on loopback.</summary>
public sealed class OpentrackerInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Shoal_nodes_find_each_other_through_opentracker()
    {
        var path = ExternalProcess.Find("opentracker");
        if (path is null)
        {
            Assert.Skip("opentracker not installed: run scripts/install-test-deps.sh");
        }

        var rid = Rid.ForUrl("https://cdn.example/vod/movie.m3u8");
        // Debian builds opentracker in whitelist ("private") mode: it only tracks info-hashes listed in -w FILE.
        var whitelist = Path.Combine(Path.GetTempPath(), $"shoal-opentracker-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(whitelist, rid.ToHex() + "\n", Ct);
        var port = ExternalProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var opentracker = ExternalProcess.Start(path, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), "-i", "127.0.0.1", "-p", port, "-P", port, "-w", whitelist);
        var endPoint = new IPEndPoint(IPAddress.Loopback, opentracker.Port);
        // Until opentracker binds, datagrams are lost and the client retransmits (250 ms, 500 ms, ...).
        var options = new UdpTrackerClientOptions { BaseTimeout = TimeSpan.FromMilliseconds(250), MaxAttempts = 6 };
        await using var alice = new UdpTrackerClient(endPoint, PeerId.NewRandom(), options);
        await using var bob = new UdpTrackerClient(endPoint, PeerId.NewRandom(), options);
        // opentracker reads its whitelist on a thread of its own after start-up: until then it answers "not tracked".
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                await alice.AnnounceAsync(rid, 7001, TransferStats.Seeding(), AnnounceEvent.Started, cancellationToken: deadline.Token);
                break;
            }
            catch (TrackerException e) when (e.Message.Contains("does not track", StringComparison.Ordinal))
            {
                await Task.Delay(100, deadline.Token);
            }
        }
        var answer = await bob.AnnounceAsync(rid, 7002, new TransferStats(0, 5000, 0), AnnounceEvent.Started, cancellationToken: Ct);

        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 7001), answer.Peers);
        Assert.True(answer.Interval > TimeSpan.Zero);

        var scrape = await bob.ScrapeAsync([rid], Ct);
        Assert.Equal(1, scrape[0].Seeders);
        Assert.Equal(1, scrape[0].Leechers);
        Assert.False(opentracker.HasExited);
        await opentracker.KillAsync();
        File.Delete(whitelist);
    }
}
