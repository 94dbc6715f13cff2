using System.Net;
using Shoal.Core.Identity;
using Shoal.Core.Manifests;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;
using Shoal.Tracker.Tests.Support;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.State;

/// <summary>Several tracker instances on one real redis-server share their state and survive each other's loss.</summary>
public sealed class RedisTrackerStoreTests
{
    private static readonly Rid Channel = Rid.ForUrl("https://cdn.example/live/shared.m3u8");
    private static readonly UdpTrackerClientOptions FastRetries = new() { BaseTimeout = TimeSpan.FromMilliseconds(250), MaxAttempts = 4 };
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TrackerHostOptions Loopback(string redis) => new()
    {
        UdpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        Redis = redis,
        Udp = new UdpTrackerOptions { ReceiveLoops = 2 },
    };

    [Fact]
    public async Task Two_instances_share_swarms_and_losing_one_loses_no_swarm()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        if (redis is null)
        {
            Assert.Skip("redis-server not installed: run scripts/install-test-deps.sh");
        }

        using var key = SigningKeyPair.Generate();
        var a = await TrackerHost.StartAsync(Loopback(redis.Configuration), key, cancellationToken: Ct);
        await using var b = await TrackerHost.StartAsync(Loopback(redis.Configuration), key, cancellationToken: Ct);

        await using (var alice = new UdpTrackerClient(a.UdpEndPoint, PeerId.NewRandom(), FastRetries))
        {
            await alice.AnnounceAsync(Channel, 7001, TransferStats.Seeding(), AnnounceEvent.Started, cancellationToken: Ct);
        }

        await using var bob = new UdpTrackerClient(b.UdpEndPoint, PeerId.NewRandom(), FastRetries);
        var answer = await bob.AnnounceAsync(Channel, 7002, new TransferStats(0, 100, 0), AnnounceEvent.Started, cancellationToken: Ct);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7001)], answer.Peers);
        Assert.Equal((1, 1), (answer.Seeders, answer.Leechers));

        await a.DisposeAsync(); // instance A is gone

        await using var carol = new UdpTrackerClient(b.UdpEndPoint, PeerId.NewRandom(), FastRetries);
        var after = await carol.AnnounceAsync(Channel, 7003, new TransferStats(0, 100, 0), cancellationToken: Ct);
        Assert.Equal(
            new[] { new IPEndPoint(IPAddress.Loopback, 7001), new IPEndPoint(IPAddress.Loopback, 7002) }.OrderBy(e => e.Port),
            after.Peers.OrderBy(e => e.Port));
        var scrape = await carol.ScrapeAsync([Channel], Ct);
        Assert.Equal(new ScrapeEntry(1, 0, 2), scrape[0]);
    }

    [Fact]
    public async Task A_surviving_instance_takes_over_the_hash_oracle_and_extends_the_same_chain()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        if (redis is null)
        {
            Assert.Skip("redis-server not installed: run scripts/install-test-deps.sh");
        }

        await using var origin = await TestOrigin.StartAsync();
        origin.SetPlaylist(firstSequence: 0, count: 2);
        using var key = SigningKeyPair.Generate(); // both instances run with the same --key
        var options = Loopback(redis.Configuration) with
        {
            Oracle = new Shoal.Tracker.Oracle.HashOracleOptions { LeaseTime = TimeSpan.FromSeconds(1) },
            SuperPeers = new Shoal.Tracker.SuperPeers.SuperPeerOptions { RefreshInterval = TimeSpan.FromMilliseconds(200) },
        };
        var a = await TrackerHost.StartAsync(options, key, cancellationToken: Ct);
        await using var b = await TrackerHost.StartAsync(options, key, cancellationToken: Ct);
        await using var viaA = new HttpTrackerClient(a.HttpAddress, PeerId.NewRandom());
        await using var viaB = new HttpTrackerClient(b.HttpAddress, PeerId.NewRandom());
        var rid = Rid.Parse((await viaA.MapAsync(origin.PlaylistUri.AbsoluteUri, cancellationToken: Ct)).Rid);
        var follower = new LiveManifestFollower(key.PublicKey, rid);

        var first = await WaitForUpdateAsync(viaB, rid, 1);
        Assert.True(follower.TryAccept(first, out var one, out var error), error);
        Assert.Equal([0L, 1], one.Manifest.Segments.Select(s => s.Sequence));

        await a.DisposeAsync(); // the instance in charge of the feed dies
        origin.SetPlaylist(firstSequence: 0, count: 4);

        var second = await WaitForUpdateAsync(viaB, rid, 2);
        Assert.True(follower.TryAccept(second, out var two, out error), error); // same chain, next link
        Assert.Equal([0L, 1, 2, 3], two.Manifest.Segments.Select(s => s.Sequence));
        Assert.All(Enumerable.Range(0, 4), n => Assert.Equal(1, origin.Requests[$"seg{n}.ts"]));
    }

    private static async Task<byte[]> WaitForUpdateAsync(HttpTrackerClient client, Rid rid, long update)
    {
        // The oracle runs in the background: wait for the update to appear (a real event), with a deadline as a guard.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await client.GetManifestAsync(rid, update, deadline.Token) is { } bytes)
            {
                return bytes;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    [Fact]
    public async Task Store_keeps_counts_expiry_manifests_nodes_and_jobs()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        if (redis is null)
        {
            Assert.Skip("redis-server not installed: run scripts/install-test-deps.sh");
        }

        var lifetime = TimeSpan.FromMinutes(4);
        await using var store = await RedisTrackerStore.ConnectAsync(redis.Configuration, lifetime);
        var t0 = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var sample = new PeerSample();
        PeerRecord Peer(uint ip, long left, DateTimeOffset seen, bool super = false) =>
            new(PeerEndpoint.FromIPv4(ip, 7000), new PeerId(ip, 1, 2), left, super, seen.ToUnixTimeMilliseconds());

        await store.AnnounceAsync(Channel, Peer(1, 0, t0, super: true), AnnounceEvent.Started, 10, sample, t0, Ct);
        await store.AnnounceAsync(Channel, Peer(2, 10, t0), AnnounceEvent.Started, 10, sample, t0, Ct);
        sample.Clear();
        var counts = await store.AnnounceAsync(Channel, Peer(3, 0, t0.AddMinutes(3)), AnnounceEvent.Completed, 10, sample, t0.AddMinutes(3), Ct);
        Assert.Equal(new SwarmCounts(2, 1, 1), counts);
        Assert.Equal(3, sample.Members.Count);
        Assert.Contains(Peer(2, 10, t0), sample.Members);
        Assert.Equal([Peer(1, 0, t0, super: true)], sample.SuperPeers);

        // Five minutes after t0, the first two have been silent longer than the lifetime.
        Assert.Equal(2, await store.SweepAsync(t0.AddMinutes(5), Ct));
        Assert.Equal(new SwarmCounts(1, 0, 1), await store.ScrapeAsync(Channel, t0.AddMinutes(5), Ct));
        Assert.Single(await store.ListSwarmsAsync(t0.AddMinutes(5), 10, Ct));

        using var key = SigningKeyPair.Generate();
        for (var update = 1; update <= 70; update++)
        {
            await store.PutManifestAsync(Channel, update, new byte[] { (byte)update }, Ct);
        }

        Assert.Equal(new byte[] { 70 }, await store.GetManifestAsync(Channel, null, Ct));
        Assert.Equal(new byte[] { 10 }, await store.GetManifestAsync(Channel, 10, Ct));
        Assert.Null(await store.GetManifestAsync(Channel, 6, Ct)); // beyond the kept history of 64

        var node = PeerId.NewRandom();
        await store.PutNodeStatusAsync(new NodeStatus(node, "1.2.3.4:5", 3600, 5_000_000, 0.99, 10, 1, true, t0), Ct);
        Assert.Equal(node, Assert.Single(await store.ListNodesAsync(Ct)).PeerId);
        Assert.Equal(5_000_000, (await store.GetNodeStatusAsync(node, Ct))?.UploadCapacityBytesPerSecond);
        Assert.Null(await store.GetNodeStatusAsync(PeerId.NewRandom(), Ct));
        await store.AddPushJobAsync(node, new PushJob("j1", Channel, "https://cdn.example/x", t0), Ct);
        Assert.Equal("j1", Assert.Single(await store.TakePushJobsAsync(node, Ct)).JobId);
        Assert.Empty(await store.TakePushJobsAsync(node, Ct));

        var mapping = new ResourceMapping(Channel, "https://cdn.example/live/shared.m3u8", "HlsLive", true, t0);
        await store.PutMappingAsync(mapping, Ct);
        Assert.Equal(mapping, await store.GetMappingAsync(Channel, Ct));

        var secret = await store.GetOrCreateSecretAsync([1, 2, 3], Ct);
        Assert.Equal(secret, await store.GetOrCreateSecretAsync([4, 5, 6], Ct));
    }
}
