using System.Net;
using System.Net.Sockets;
using Shoal.Core.Identity;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;
using Shoal.Tracker.SuperPeers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Udp;

/// <summary>BEP 15's IPv6 variant: a request that arrives over IPv6 gets 18-byte peers.</summary>
public sealed class Ipv6TrackerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Peers_announcing_over_IPv6_get_IPv6_peer_lists()
    {
        if (!Socket.OSSupportsIPv6)
        {
            Assert.Skip("IPv6 is not available on this machine.");
        }

        var options = new UdpTrackerOptions { ReceiveLoops = 1 };
        var store = new InMemoryTrackerStore(options.PeerLifetime);
        var handler = new Bep15RequestHandler(store, new ConnectionIdIssuer(ConnectionIdIssuer.NewSecret(), TimeProvider.System, options), null, TimeProvider.System, options);
        UdpTrackerServer server;
        try
        {
            server = UdpTrackerServer.Start(new IPEndPoint(IPAddress.IPv6Loopback, 0), handler, store, TimeProvider.System, options);
        }
        catch (SocketException e)
        {
            Assert.Skip($"Cannot bind ::1 here ({e.SocketErrorCode}).");
            return;
        }

        await using (server)
        {
            var fast = new UdpTrackerClientOptions { BaseTimeout = TimeSpan.FromMilliseconds(250), MaxAttempts = 4 };
            await using var alice = new UdpTrackerClient(server.LocalEndPoint, PeerId.NewRandom(), fast);
            await using var bob = new UdpTrackerClient(server.LocalEndPoint, PeerId.NewRandom(), fast);
            var rid = Rid.ForUrl("https://cdn.example/v6");
            await alice.AnnounceAsync(rid, 7001, TransferStats.Seeding(), cancellationToken: Ct);
            var answer = await bob.AnnounceAsync(rid, 7002, TransferStats.Seeding(), cancellationToken: Ct);
            Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 7001)], answer.Peers);
        }
    }
}
