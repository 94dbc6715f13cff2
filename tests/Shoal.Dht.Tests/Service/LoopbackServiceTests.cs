using System.Net;
using Shoal.Core.Identity;
using Shoal.Dht.Service;

namespace Shoal.Dht.Tests.Service;

public sealed class LoopbackServiceTests
{
    // Every node answers in these tests, so a long query time-out costs nothing when all is well and keeps a
    // heavily loaded CI machine (a late answer) from turning into a missed node.
    internal static DhtService StartLoopback(int seed) =>
        DhtService.Start(new DhtServiceOptions
        {
            Bind = new IPEndPoint(IPAddress.Loopback, 0),
            Seed = seed,
            Node = DhtOptions.Default with { QueryTimeout = TimeSpan.FromSeconds(5) },
            LookupTimeout = TimeSpan.FromSeconds(60),
        });

    [Fact]
    public async Task Five_services_on_real_sockets_bootstrap_from_each_other_and_find_each_others_peers()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = Enumerable.Range(0, 5).Select(i => StartLoopback(100 + i)).ToList();
        try
        {
            // A chain: each joins through the one before, so most nodes are learnt through the DHT, not given.
            for (var i = 1; i < services.Count; i++)
            {
                await services[i].BootstrapAsync([services[i - 1].LocalEndPoint], ct);
            }

            await services[0].BootstrapAsync([services[^1].LocalEndPoint], ct);
            Assert.All(services, s => Assert.True(s.GetStatus().RoutingTableNodes >= 3, $"{s.LocalEndPoint} knows {s.GetStatus().RoutingTableNodes} nodes"));

            var rids = Enumerable.Range(0, services.Count).Select(i => Rid.ForUrl($"https://cdn.example.com/video/{i}.m3u8")).ToList();
            for (var i = 0; i < services.Count; i++)
            {
                var acks = await services[i].AnnounceAsync(rids[i], 40_000 + i, ct);
                Assert.True(acks >= 2, $"service {i} announced to {acks} nodes");
            }

            for (var i = 0; i < services.Count; i++)
            {
                var wanted = (i + 2) % services.Count;
                var peers = await services[i].GetPeersAsync(rids[wanted], ct);
                Assert.Contains(new IPEndPoint(IPAddress.Loopback, 40_000 + wanted), peers);
            }

            var none = await services[0].GetPeersAsync(Rid.ForUrl("https://cdn.example.com/not-announced"), ct);
            Assert.Empty(none);
        }
        finally
        {
            foreach (var service in services)
            {
                await service.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Garbage_and_oversized_datagrams_on_the_socket_leave_the_service_serving()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = StartLoopback(1);
        await using var b = StartLoopback(2);
        using (var attacker = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            var random = new Random(3);
            for (var i = 0; i < 200; i++)
            {
                var junk = new byte[random.Next(1, i % 10 == 0 ? 4000 : 200)];
                random.NextBytes(junk);
                await attacker.SendAsync(junk, a.LocalEndPoint, ct);
            }

            // The flood may overflow the socket's receive buffer, so the ping is repeated until answered (10 s guard).
            var receive = attacker.ReceiveAsync(ct).AsTask();
            for (var attempt = 0; attempt < 50 && !receive.IsCompleted; attempt++)
            {
                await attacker.SendAsync("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"u8.ToArray(), a.LocalEndPoint, ct);
                await Task.WhenAny(receive, Task.Delay(200, ct));
            }

            var pong = await receive.WaitAsync(TimeSpan.FromSeconds(1), ct);
            Assert.StartsWith("d1:rd2:id20:", System.Text.Encoding.ASCII.GetString(pong.Buffer));
        }

        Assert.True(await b.BootstrapAsync([a.LocalEndPoint], ct) >= 1);
        // The kernel may drop part of the flood before the service reads it; whatever was read and was not one
        // of the pings was dropped as malformed or oversized.
        var status = a.GetStatus();
        Assert.True(status.DroppedMalformed + status.DroppedOversized > 0);
        Assert.Equal(status.DatagramsReceived - status.QueriesAnswered, status.DroppedMalformed + status.DroppedOversized);
    }

    [Fact]
    public async Task A_bootstrap_list_of_dead_and_unusable_endpoints_ends_with_an_empty_table_not_an_exception()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var lonely = DhtService.Start(new DhtServiceOptions { Bind = new IPEndPoint(IPAddress.Loopback, 0), Seed = 5, Node = DhtOptions.Default with { QueryTimeout = TimeSpan.FromMilliseconds(200) } });
        using var silent = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var nodes = await lonely.BootstrapAsync([(IPEndPoint)silent.Client.LocalEndPoint!, new IPEndPoint(IPAddress.IPv6Loopback, 6881)], ct);
        Assert.Equal(0, nodes);
        Assert.Empty(await lonely.GetPeersAsync(Rid.ForUrl("https://cdn.example.com/x"), ct));
    }
}
