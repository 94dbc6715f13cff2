using System.Globalization;
using System.Net;
using Shoal.Core.Manifests;
using Shoal.Node.Gateway;
using Shoal.Node.Origin;
using Shoal.Tracker;

namespace Shoal.Node.Tests.Gateway;

/// <summary>An origin, a tracker with its mapping service, and three nodes whose gateways a player each reads live HLS through.</summary>
public sealed class SwarmGatewayEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_swarming_gateways_deliver_live_segments_byte_identical_to_the_origin()
    {
        using var dir = new TempDirectory();
        var source = TestMedia.WriteHlsFolder(dir.Path, 6, 1.0, 40_000, seed: 31);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path, Live = true }, TimeProvider.System, Ct);
        using var mappingKey = SigningKeyPair.Generate();
        await using var tracker = await TrackerHost.StartAsync(new TrackerHostOptions
        {
            UdpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        }, mappingKey, cancellationToken: Ct);

        var nodes = new List<ShoalNode>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await ShoalNode.StartAsync(new NodeOptions
                {
                    Gateway = new GatewayOptions { Port = 0, LiveLag = TimeSpan.FromSeconds(3) },
                    TrackerHttp = tracker.HttpAddress,
                    UdpBind = IPAddress.Loopback,
                }, TimeProvider.System, cancellationToken: Ct));
            }

            using var player = new HttpClient();
            var seen = new HashSet<(int, long)>();
            var checkedSegments = 0;

            // Play for a few seconds of live media on every node: poll the playlist, fetch every new segment.
            for (var round = 0; round < 8; round++)
            {
                for (var n = 0; n < nodes.Count; n++)
                {
                    var playlistUrl = nodes[n].GatewayUrlFor(origin.LivePlaylistUri.AbsoluteUri);
                    var playlist = await player.GetStringAsync(playlistUrl, Ct);
                    foreach (var uri in playlist.Split('\n').Where(l => l.StartsWith("/o/", StringComparison.Ordinal)))
                    {
                        var sequence = long.Parse(uri[(uri.IndexOf("seq=", StringComparison.Ordinal) + 4)..].Split('&')[0], CultureInfo.InvariantCulture);
                        if (seen.Add((n, sequence)))
                        {
                            Assert.Equal(source[(int)(sequence % source.Length)], await player.GetByteArrayAsync(new Uri(playlistUrl, uri), Ct));
                            checkedSegments++;
                        }
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            }

            Assert.True(checkedSegments >= 3 * 6, $"{checkedSegments} segments checked");
            foreach (var node in nodes)
            {
                Assert.Contains("swarm", node.SegmentSourceName, StringComparison.Ordinal);
            }

            var joined = nodes.Sum(n => n.Swarms!.Sessions.Count);
            Assert.Equal(3, joined);

            // Offload is not asserted yet: with three viewers at the same position the swarm carries only part of the
            // bytes (about a fifth in this set-up); the status reports it so the demo can show it.
            Assert.All(nodes, n => Assert.Equal(n.Metrics.BytesFromPeers, n.Status().Totals.BytesFromPeers));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
