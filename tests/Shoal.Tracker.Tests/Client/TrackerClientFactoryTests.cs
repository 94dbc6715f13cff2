using Shoal.Core.Identity;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Tests.Support;

namespace Shoal.Tracker.Tests.Client;

public sealed class TrackerClientFactoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_udp_url_gives_a_working_BEP15_client()
    {
        await using var tracker = TestTracker.Start();
        var url = new Uri($"udp://127.0.0.1:{tracker.EndPoint.Port}/announce");
        await using var client = await TrackerClientFactory.CreateAsync(url, PeerId.NewRandom(), new UdpTrackerClientOptions { BaseTimeout = TimeSpan.FromMilliseconds(250) }, cancellationToken: Ct);
        Assert.IsType<UdpTrackerClient>(client);
        var answer = await client.AnnounceAsync(Rid.ForUrl("https://cdn.example/f"), 7001, TransferStats.Seeding(), cancellationToken: Ct);
        Assert.Equal(1, answer.Seeders);
    }

    [Theory]
    [InlineData("http://tracker.example:8080", typeof(HttpTrackerClient))]
    [InlineData("https://tracker.example/shoal/", typeof(HttpTrackerClient))]
    public async Task Http_urls_give_the_API_client(string url, Type expected)
    {
        await using var client = await TrackerClientFactory.CreateAsync(new Uri(url), PeerId.NewRandom(), cancellationToken: Ct);
        Assert.IsType(expected, client);
        Assert.EndsWith("/", ((HttpTrackerClient)client).BaseAddress.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_schemes_are_refused_with_a_reason()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => TrackerClientFactory.CreateAsync(new Uri("wss://tracker.example/"), PeerId.NewRandom(), cancellationToken: Ct));
        Assert.Contains("udp://", error.Message, StringComparison.Ordinal);
    }
}
