using System.Net;
using System.Text.Json;
using Shoal.Core.Identity;
using Shoal.Dht.Service;
using Shoal.Dht.Tests.Service;

namespace Shoal.Dht.Tests.Interop;

/// <summary>
/// Shoal's DHT against an independent Mainline DHT implementation (npm bittorrent-dht 11.0.12) on loopback:
/// each side finds the peers the other announced.
/// </summary>
public sealed class BittorrentDhtInteropTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Shoal_and_bittorrent_dht_find_the_peers_each_other_announced()
    {
        if (BittorrentDhtProcess.MissingPrerequisite() is { } missing)
        {
            Assert.Skip(missing);
        }

        var ct = TestContext.Current.CancellationToken;
        await using var a = LoopbackServiceTests.StartLoopback(21);
        await using var b = LoopbackServiceTests.StartLoopback(22);
        await b.BootstrapAsync([a.LocalEndPoint], ct);

        await using var npm = BittorrentDhtProcess.Start($"127.0.0.1:{a.LocalEndPoint.Port}");
        var ready = await npm.WaitForAsync(e => Event(e) == "ready", Guard, ct);
        var npmEndPoint = new IPEndPoint(IPAddress.Loopback, ready.GetProperty("port").GetInt32());

        // Shoal → bittorrent-dht: Shoal announces; bittorrent-dht accepts the announce (Shoal used its token) and finds the peer.
        var shoalRid = Rid.ForUrl("https://cdn.example.com/interop/shoal.m3u8");
        await b.BootstrapAsync([a.LocalEndPoint], ct);
        var acks = await a.AnnounceAsync(shoalRid, 40_001, ct);
        Assert.True(acks >= 1, "no node accepted Shoal's announce");
        var received = await npm.WaitForAsync(e => Event(e) == "announce_received" && e.GetProperty("info_hash").GetString() == shoalRid.ToHex(), Guard, ct);
        Assert.Equal("127.0.0.1", received.GetProperty("host").GetString());
        await npm.SendAsync($"lookup {shoalRid.ToHex()}");
        var found = await npm.WaitForAsync(e => Event(e) == "peers" && e.GetProperty("info_hash").GetString() == shoalRid.ToHex(), Guard, ct);
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 40_001), Peers(found));

        // bittorrent-dht → Shoal: it announces through Shoal nodes (with their tokens); Shoal finds the peer.
        var npmRid = Rid.ForUrl("https://cdn.example.com/interop/bittorrent-dht.m3u8");
        await npm.SendAsync($"announce {npmRid.ToHex()} 40002");
        var announced = await npm.WaitForAsync(e => Event(e) == "announced", Guard, ct);
        Assert.Equal(JsonValueKind.Null, announced.GetProperty("error").ValueKind);
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 40_002), await b.GetPeersAsync(npmRid, ct));

        // A fresh Shoal node that knows only the bittorrent-dht node: its lookups traverse the other implementation.
        await using var c = LoopbackServiceTests.StartLoopback(23);
        Assert.True(await c.BootstrapAsync([npmEndPoint], ct) >= 2, "bootstrap through bittorrent-dht found too few nodes");
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 40_002), await c.GetPeersAsync(npmRid, ct));
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 40_001), await c.GetPeersAsync(shoalRid, ct));

        await npm.SendAsync("quit");
    }

    private static string? Event(JsonElement e) => e.GetProperty("event").GetString();

    private static List<IPEndPoint> Peers(JsonElement e) =>
        e.GetProperty("peers").EnumerateArray()
            .Select(p => new IPEndPoint(IPAddress.Parse(p.GetProperty("host").GetString()!), p.GetProperty("port").GetInt32()))
            .ToList();
}
