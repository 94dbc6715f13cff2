using System.Globalization;
using System.Net;
using System.Text.Json;
using Shoal.Core.Manifests;
using Shoal.Node.Gateway;
using Shoal.Node.Origin;
using Shoal.Tracker;
using Shoal.Tracker.Oracle;

namespace Shoal.Node.Tests.Gateway;

/// <summary>An origin, a tracker with its mapping service, and three nodes whose gateways a player each reads live HLS through.</summary>
[Collection(nameof(RealTimeSwarmCollection))]
public sealed class SwarmGatewayEndToEndTests
{
    private const double SegmentSeconds = 1.0;
    private const int SegmentBytes = 40_000;
    private const double LagSeconds = 5;

    /// <summary>Segments each player plays before the measurement starts: every swarm joined, the first urgent fetches done.</summary>
    private const int WarmUpSegments = 5;

    /// <summary>
    /// Segments each player plays while the origin's counter is measured. Which node seeds a piece, and whether a peer's
    /// copy beats the deadline, are random and timing-dependent: over 15 segments the nodes' share ranged from 34 % to
    /// 48 % against a bound of 50 %; over 30 it ranges from 37 % to 43 %.
    /// </summary>
    private const int MeasuredSegments = 30;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_swarming_gateways_deliver_live_segments_byte_identical_to_the_origin_and_peers_carry_most_of_them()
    {
        using var dir = new TempDirectory();
        var source = TestMedia.WriteHlsFolder(dir.Path, 6, SegmentSeconds, SegmentBytes, seed: 31);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions
        {
            Directory = dir.Path,
            Live = true,
            // Just over the lag, as an operator would set it: the oracle hashes the whole window on its first look.
            LiveChannel = new LiveChannelOptions { WindowSegments = (int)(LagSeconds / SegmentSeconds) + 2 },
        }, TimeProvider.System, Ct);
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
                    Gateway = new GatewayOptions { Port = 0, LiveLag = TimeSpan.FromSeconds(LagSeconds) },
                    TrackerHttp = tracker.HttpAddress,
                    UdpBind = IPAddress.Loopback,
                }, TimeProvider.System, cancellationToken: Ct));
            }

            using var http = new HttpClient();
            var players = nodes.Select(n => new LivePlayer(http, n.GatewayUrlFor(origin.LivePlaylistUri.AbsoluteUri), source)).ToList();

            await PlayAsync(players, WarmUpSegments);
            var before = await OriginBytesAsync(http, origin);
            var deliveredBefore = players.Sum(p => p.Delivered);

            await PlayAsync(players, WarmUpSegments + MeasuredSegments);
            var after = await OriginBytesAsync(http, origin);
            var delivered = players.Sum(p => p.Delivered) - deliveredBefore;
            var total = after.Total - before.Total;
            var oracle = after.Oracle - before.Oracle;
            var whole = players.Sum(p => p.Delivered);

            var figures = string.Create(CultureInfo.InvariantCulture,
                $"measured: {delivered} bytes to players, origin sent {total} ({100.0 * total / delivered:0.0} %), of which the oracle {oracle} and the nodes {total - oracle} ({100.0 * (total - oracle) / delivered:0.0} %); " +
                $"whole run: {whole} bytes to players, origin sent {after.Total} ({100.0 * after.Total / whole:0.0} %), oracle {after.Oracle}; " +
                $"per node, peers/origin bytes: {string.Join(", ", nodes.Select(n => $"{n.Metrics.BytesFromPeers}/{n.Metrics.BytesFromOrigin}"))}");
            TestContext.Current.TestOutputHelper?.WriteLine(figures);

            Assert.All(nodes, n => Assert.Contains("swarm", n.SegmentSourceName, StringComparison.Ordinal));
            Assert.Equal(3, nodes.Sum(n => n.Swarms!.Sessions.Count));
            Assert.All(nodes, n => Assert.Equal(n.Metrics.BytesFromPeers, n.Status().Totals.BytesFromPeers));

            // The oracle takes one copy of each segment to hash it; of three viewers at least one more copy must come
            // from the origin, so a third is the floor of the nodes' own origin fetches (playlists included), and
            // without the swarm they would be all of it. They stay under half of what their players received: peers
            // carried most. (With the oracle's third, the origin then sends under 5/6; a bound of 80 % on that failed
            // at 81.6 % on a busy machine, with the nodes at 47.8 %.)
            Assert.True(total - oracle < delivered / 2, figures);
            Assert.True(total < delivered, figures);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Range_requests_for_a_plain_file_go_through_the_swarm_and_equal_the_origins_bytes()
    {
        const int slice = 256 * 1024;
        using var dir = new TempDirectory();
        var content = TestMedia.WriteRandomFile(dir.File("movie.mp4"), (5 * slice) + 777, seed: 32);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path }, TimeProvider.System, Ct);
        using var mappingKey = SigningKeyPair.Generate();
        await using var tracker = await TrackerHost.StartAsync(new TrackerHostOptions
        {
            UdpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Oracle = new HashOracleOptions { FileSegmentBytes = slice },
        }, mappingKey, cancellationToken: Ct);
        var fileUrl = new Uri(origin.BaseUri, "movie.mp4").AbsoluteUri;
        var rid = Core.Identity.Rid.ForUrl(fileUrl);
        Task<ShoalNode> StartNodeAsync() => ShoalNode.StartAsync(new NodeOptions
        {
            Gateway = new GatewayOptions { Port = 0, FileSliceBytes = slice },
            TrackerHttp = tracker.HttpAddress,
            UdpBind = IPAddress.Loopback,
        }, TimeProvider.System, cancellationToken: Ct);

        await using var first = await StartNodeAsync();
        await using var second = await StartNodeAsync();
        using var http = new HttpClient();

        // The first viewer watches the whole file until its swarm holds every slice (the first requests, before the
        // mapping service has hashed the file, come directly and are handed to the swarm afterwards).
        var started = TimeProvider.System.GetTimestamp();
        while (first.Swarms!.Find(rid) is not { Manifest: { } manifest } session || !manifest.Segments.All(s => session.Holds(s.Sequence)))
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60), "the first node's swarm never held the whole file");
            Assert.Equal(content, await http.GetByteArrayAsync(first.GatewayUrlFor(fileUrl), Ct));
        }

        // The second seeks around the file: every range equals the origin's bytes, and peers carried some of them.
        var random = new Random(32);
        var url = second.GatewayUrlFor(fileUrl);
        started = TimeProvider.System.GetTimestamp();
        var ranges = 0;
        while (ranges < 20 || second.Swarms!.Snapshot().Sum(s => s.BytesFromPeers) == 0)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60), "no byte from peers in 60 s of range requests");
            var firstByte = random.NextInt64(content.Length);
            var lastByte = Math.Min(content.Length - 1, firstByte + random.NextInt64(2 * slice));
            using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new System.Net.Http.Headers.RangeHeaderValue(firstByte, lastByte) } };
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(content.AsSpan((int)firstByte, (int)(lastByte - firstByte + 1)).ToArray(), await response.Content.ReadAsByteArrayAsync(Ct));
            ranges++;
        }

        Assert.Equal(content, await http.GetByteArrayAsync(url, Ct));
        var swarm = second.Swarms!.Snapshot().Single();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{ranges} ranges; the second node's swarm had {swarm.BytesFromPeers} bytes from peers and {swarm.BytesFromOrigin} from the origin"));
    }

    [Fact]
    public async Task With_a_udp_tracker_the_nodes_announce_over_BEP_15_and_find_each_other()
    {
        const int slice = 256 * 1024;
        using var dir = new TempDirectory();
        var content = TestMedia.WriteRandomFile(dir.File("file.bin"), (3 * slice) + 99, seed: 33);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path }, TimeProvider.System, Ct);
        using var mappingKey = SigningKeyPair.Generate();
        await using var tracker = await TrackerHost.StartAsync(new TrackerHostOptions
        {
            UdpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Oracle = new HashOracleOptions { FileSegmentBytes = slice },
        }, mappingKey, cancellationToken: Ct);
        var fileUrl = new Uri(origin.BaseUri, "file.bin").AbsoluteUri;
        var rid = Core.Identity.Rid.ForUrl(fileUrl);
        var udp = new Uri($"udp://127.0.0.1:{tracker.UdpEndPoint.Port}/announce");
        Task<ShoalNode> StartNodeAsync() => ShoalNode.StartAsync(new NodeOptions
        {
            Gateway = new GatewayOptions { Port = 0, FileSliceBytes = slice },
            Tracker = udp,
            TrackerHttp = tracker.HttpAddress,
            UdpBind = IPAddress.Loopback,
        }, TimeProvider.System, cancellationToken: Ct);

        var first = await StartNodeAsync();
        var second = await StartNodeAsync();
        try
        {
            Assert.Contains("peers from udp://", first.SegmentSourceName, StringComparison.Ordinal);
            using var http = new HttpClient();
            var started = TimeProvider.System.GetTimestamp();
            while (first.Swarms!.Find(rid) is not { Manifest: { } manifest } session || !manifest.Segments.All(s => session.Holds(s.Sequence)))
            {
                Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60), "the first node's swarm never held the whole file");
                Assert.Equal(content, await http.GetByteArrayAsync(first.GatewayUrlFor(fileUrl), Ct));
            }

            // The second node learns of the first only from the UDP tracker, and takes the file from it.
            started = TimeProvider.System.GetTimestamp();
            while (second.Swarms!.Snapshot().Sum(s => s.BytesFromPeers) == 0)
            {
                Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60), "the second node got nothing from its peer");
                Assert.Equal(content, await http.GetByteArrayAsync(second.GatewayUrlFor(fileUrl), Ct));
            }

            Assert.True(tracker.Services.Udp.Counters.Announces >= 2, $"{tracker.Services.Udp.Counters.Announces} BEP 15 announces");
            Assert.True(second.Swarms!.Find(rid)!.Snapshot().TrackerPeers >= 1);
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
        }

        // Leaving, each node told the tracker ("stopped"): it names neither of them to newcomers any more.
        var swarms = await tracker.Services.Store.ListSwarmsAsync(TimeProvider.System.GetUtcNow(), 100, Ct);
        Assert.DoesNotContain(swarms, w => w.Rid == rid && w.Counts.Seeders + w.Counts.Leechers > 0);
    }

    /// <summary>Every player plays on until it has played <paramref name="segments"/> segments.</summary>
    private static async Task PlayAsync(List<LivePlayer> players, int segments)
    {
        while (players.Any(p => p.Played < segments))
        {
            foreach (var player in players)
            {
                await player.PollAsync();
            }

            // RFC 8216 §6.3.4: a client reloads an unchanged playlist after half the target duration.
            await Task.Delay(TimeSpan.FromSeconds(SegmentSeconds / 2), Ct);
        }
    }

    private static async Task<(long Total, long Oracle)> OriginBytesAsync(HttpClient http, OriginServer origin)
    {
        using var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri(origin.BaseUri, "/stats"), Ct));
        var total = stats.RootElement.GetProperty("bytes_served").GetInt64();
        var oracle = stats.RootElement.GetProperty("bytes_by_agent").TryGetProperty(HashOracle.UserAgent, out var o) ? o.GetInt64() : 0;
        return (total, oracle);
    }

    /// <summary>
    /// A live HLS client: reloads the gateway's playlist, starts at its newest segment (the gateway already holds the
    /// edge back by the lag) and fetches each new segment once, checking it against the origin's bytes.
    /// </summary>
    private sealed class LivePlayer(HttpClient http, Uri playlistUrl, byte[][] source)
    {
        private long? _next;

        public int Played { get; private set; }

        public long Delivered { get; private set; }

        public async Task PollAsync()
        {
            var playlist = await http.GetStringAsync(playlistUrl, Ct);
            var uris = playlist.Split('\n').Where(l => l.StartsWith("/o/", StringComparison.Ordinal)).ToList();
            foreach (var uri in uris)
            {
                var sequence = long.Parse(uri[(uri.IndexOf("seq=", StringComparison.Ordinal) + 4)..].Split('&')[0], CultureInfo.InvariantCulture);
                _next ??= sequence + uris.Count - 1;
                if (sequence < _next)
                {
                    continue;
                }

                var bytes = await http.GetByteArrayAsync(new Uri(playlistUrl, uri), Ct);
                Assert.Equal(source[(int)(sequence % source.Length)], bytes);
                Delivered += bytes.Length;
                Played++;
                _next = sequence + 1;
            }
        }
    }
}
