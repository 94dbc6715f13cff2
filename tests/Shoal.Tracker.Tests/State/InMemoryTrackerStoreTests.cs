using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.State;

public sealed class InMemoryTrackerStoreTests
{
    private static readonly Rid Swarm = Rid.ForUrl("https://cdn.example/live/index.m3u8");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static PeerRecord Peer(uint ip, long left, DateTimeOffset seen) =>
        new(PeerEndpoint.FromIPv4(ip, 7000), new PeerId(ip, 0, 0), left, false, seen.ToUnixTimeMilliseconds());

    [Fact]
    public async Task Counts_seeders_and_leechers_and_forgets_stopped_peers()
    {
        var store = new InMemoryTrackerStore(TimeSpan.FromMinutes(4), seed: 1);
        var sample = new PeerSample();
        await store.AnnounceAsync(Swarm, Peer(1, 0, T0), AnnounceEvent.Started, 10, sample, T0, Ct);
        await store.AnnounceAsync(Swarm, Peer(2, 500, T0), AnnounceEvent.Started, 10, sample, T0, Ct);
        await store.AnnounceAsync(Swarm, Peer(2, 0, T0), AnnounceEvent.Completed, 10, sample, T0, Ct);
        Assert.Equal(new SwarmCounts(2, 0, 1), await store.ScrapeAsync(Swarm, T0, Ct));

        await store.AnnounceAsync(Swarm, Peer(1, 0, T0), AnnounceEvent.Stopped, 10, sample, T0, Ct);
        Assert.Equal(new SwarmCounts(1, 0, 1), await store.ScrapeAsync(Swarm, T0, Ct));
    }

    [Fact]
    public async Task Peers_expire_after_the_lifetime_without_a_reannounce()
    {
        var lifetime = TimeSpan.FromMinutes(4);
        var store = new InMemoryTrackerStore(lifetime, seed: 1);
        var sample = new PeerSample();
        await store.AnnounceAsync(Swarm, Peer(1, 10, T0), AnnounceEvent.None, 10, sample, T0, Ct);
        await store.AnnounceAsync(Swarm, Peer(2, 10, T0 + TimeSpan.FromMinutes(3)), AnnounceEvent.None, 10, sample, T0 + TimeSpan.FromMinutes(3), Ct);

        sample.Clear();
        await store.AnnounceAsync(Swarm, Peer(3, 10, T0 + lifetime + TimeSpan.FromSeconds(1)), AnnounceEvent.None, 10, sample, T0 + lifetime + TimeSpan.FromSeconds(1), Ct);
        Assert.DoesNotContain(sample.Members, p => p.Endpoint == Peer(1, 0, T0).Endpoint); // expired: never handed out

        Assert.Equal(1, await store.SweepAsync(T0 + lifetime + TimeSpan.FromSeconds(1), Ct));
        Assert.Equal(new SwarmCounts(0, 2, 0), await store.ScrapeAsync(Swarm, T0, Ct));
    }

    [Fact]
    public async Task A_sample_holds_distinct_members_and_all_of_a_small_swarm()
    {
        var store = new InMemoryTrackerStore(TimeSpan.FromMinutes(4), seed: 3);
        var sample = new PeerSample();
        for (uint i = 0; i < 500; i++)
        {
            await store.AnnounceAsync(Swarm, Peer(i, 1, T0), AnnounceEvent.None, 0, sample, T0, Ct);
        }

        sample.Clear();
        await store.AnnounceAsync(Swarm, Peer(9999, 1, T0), AnnounceEvent.None, 120, sample, T0, Ct);
        Assert.Equal(120, sample.Members.Count);
        Assert.Equal(120, sample.Members.Select(m => m.Endpoint).Distinct().Count());

        var small = Rid.ForUrl("https://cdn.example/small");
        await store.AnnounceAsync(small, Peer(1, 1, T0), AnnounceEvent.None, 0, sample, T0, Ct);
        sample.Clear();
        await store.AnnounceAsync(small, Peer(2, 1, T0), AnnounceEvent.None, 120, sample, T0, Ct);
        Assert.Equal(2, sample.Members.Count);
    }
}
