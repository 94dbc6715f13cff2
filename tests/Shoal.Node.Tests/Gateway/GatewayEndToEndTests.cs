using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Shoal.Node.Gateway;
using Shoal.Node.Origin;
using Shoal.Node.Storage;

namespace Shoal.Node.Tests.Gateway;

public sealed class GatewayEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ShoalNode> StartNodeAsync(string? cacheDir = null, TimeSpan lag = default, int sliceBytes = GatewayOptions.DefaultFileSliceBytes) =>
        ShoalNode.StartAsync(new NodeOptions
        {
            Gateway = new GatewayOptions { Port = 0, LiveLag = lag, FileSliceBytes = sliceBytes },
            Store = new ContentStoreOptions { Disk = cacheDir is null ? null : new DiskCacheOptions { Directory = cacheDir } },
        }, TimeProvider.System, cancellationToken: Ct);

    private static List<string> SegmentUris(string playlist) =>
        playlist.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    private static long SequenceOf(string gatewayUri)
    {
        var seq = gatewayUri[(gatewayUri.IndexOf("seq=", StringComparison.Ordinal) + 4)..];
        var end = seq.IndexOf('&', StringComparison.Ordinal);
        return long.Parse(end < 0 ? seq : seq[..end], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Three_gateways_serve_the_live_channel_with_segments_byte_identical_to_the_origin()
    {
        using var dir = new TempDirectory();
        var source = TestMedia.WriteHlsFolder(dir.Path, 4, 2.0, 30_000, seed: 11);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path, Live = true }, TimeProvider.System, Ct);
        var nodes = new List<ShoalNode>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await StartNodeAsync());
            }

            using var player = new HttpClient();
            foreach (var node in nodes)
            {
                var playlistUrl = node.GatewayUrlFor(origin.LivePlaylistUri.AbsoluteUri);
                var playlist = await player.GetStringAsync(playlistUrl, Ct);
                Assert.DoesNotContain("#EXT-X-ENDLIST", playlist, StringComparison.Ordinal);
                var uris = SegmentUris(playlist);
                Assert.NotEmpty(uris);
                foreach (var uri in uris)
                {
                    Assert.StartsWith("/o/", uri, StringComparison.Ordinal);
                    var bytes = await player.GetByteArrayAsync(new Uri(playlistUrl, uri), Ct);
                    Assert.Equal(source[(int)(SequenceOf(uri) % source.Length)], bytes);
                }

                Assert.True(node.Metrics.BytesToPlayers >= uris.Count * 30_000L);
            }

            // Pending the swarm engine, each node fetches from the origin itself: the origin carried every copy.
            Assert.True(origin.Stats.LiveSegmentBytes >= nodes.Sum(n => n.Metrics.BytesToPlayers));
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
    public async Task The_live_lag_holds_the_playlist_edge_back_from_the_origins()
    {
        using var dir = new TempDirectory();
        TestMedia.WriteHlsFolder(dir.Path, 4, 2.0, 1_000, seed: 12);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path, Live = true }, TimeProvider.System, Ct);
        await using var node = await StartNodeAsync(lag: TimeSpan.FromSeconds(4));
        using var http = new HttpClient();

        var atOrigin = SegmentUris(await http.GetStringAsync(origin.LivePlaylistUri, Ct));
        var throughGateway = SegmentUris(await http.GetStringAsync(node.GatewayUrlFor(origin.LivePlaylistUri.AbsoluteUri), Ct));
        var originLatest = long.Parse(atOrigin[^1]["seg-".Length..^".ts".Length], CultureInfo.InvariantCulture);

        // Two 2-second segments fewer, unless the origin's window slid between the two requests.
        Assert.InRange(SequenceOf(throughGateway[^1]), originLatest - 2, originLatest - 1);
        Assert.InRange(throughGateway.Count, atOrigin.Count - 2, atOrigin.Count - 1);
    }

    [Fact]
    public async Task A_VOD_playlist_is_rewritten_and_a_second_viewing_comes_from_the_disk_cache()
    {
        using var dir = new TempDirectory();
        using var cache = new TempDirectory();
        var source = TestMedia.WriteHlsFolder(dir.Path, 3, 4.0, 50_000, seed: 13);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path }, TimeProvider.System, Ct);
        await using var node = await StartNodeAsync(cache.Path);
        using var http = new HttpClient();
        var playlistUrl = node.GatewayUrlFor(new Uri(origin.BaseUri, "index.m3u8").AbsoluteUri);

        for (var viewing = 0; viewing < 2; viewing++)
        {
            var playlist = await http.GetStringAsync(playlistUrl, Ct);
            Assert.Contains("#EXT-X-ENDLIST", playlist, StringComparison.Ordinal);
            var uris = SegmentUris(playlist);
            Assert.Equal(3, uris.Count);
            for (var i = 0; i < uris.Count; i++)
            {
                Assert.Equal(source[i], await http.GetByteArrayAsync(new Uri(playlistUrl, uris[i]), Ct));
            }

            if (viewing == 0)
            {
                await node.FlushAsync(Ct);
                Assert.Equal(3, node.Store.Disk!.SegmentCount);
            }
        }

        var segmentBytes = source.Sum(s => (long)s.Length);
        Assert.Equal(2 * segmentBytes, node.Metrics.BytesToPlayers);
        Assert.Equal(segmentBytes, node.Metrics.BytesFromStore);
        Assert.True(node.Metrics.Offload > 0.4, $"offload {node.Metrics.Offload}");
    }

    [Fact]
    public async Task Random_ranges_of_a_progressive_file_equal_the_origins_bytes()
    {
        using var dir = new TempDirectory();
        var content = TestMedia.WriteRandomFile(dir.File("movie.mp4"), 1_000_003, seed: 14);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path }, TimeProvider.System, Ct);
        await using var node = await StartNodeAsync(sliceBytes: 100_000);
        using var http = new HttpClient();
        var url = node.GatewayUrlFor(new Uri(origin.BaseUri, "movie.mp4").AbsoluteUri);

        var random = new Random(14);
        for (var i = 0; i < 25; i++)
        {
            var first = random.NextInt64(content.Length);
            var last = Math.Min(content.Length - 1, first + random.NextInt64(300_000));
            using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(first, last) } };
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal($"bytes {first}-{last}/{content.Length}", response.Content.Headers.ContentRange!.ToString());
            Assert.Equal(content.AsSpan((int)first, (int)(last - first + 1)).ToArray(), await response.Content.ReadAsByteArrayAsync(Ct));
        }

        Assert.Equal(content, await http.GetByteArrayAsync(url, Ct));

        using var beyond = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(2_000_000, null) } };
        using var beyondResponse = await http.SendAsync(beyond, Ct);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyondResponse.StatusCode);
        Assert.Equal($"bytes */{content.Length}", beyondResponse.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Bad_requests_get_a_clear_4xx_and_a_dead_origin_a_502_with_the_reason()
    {
        await using var node = await StartNodeAsync();
        using var http = new HttpClient { BaseAddress = node.GatewayUri };

        async Task<(HttpStatusCode, string)> Get(string path, HttpMethod? method = null)
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, path), Ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        var (status, text) = await Get("/o/");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("no origin URL", text, StringComparison.Ordinal);

        (status, text) = await Get("/o/" + Uri.EscapeDataString("ftp://example.org/file"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("only http and https", text, StringComparison.Ordinal);

        (status, _) = await Get("/o/" + Uri.EscapeDataString("http://example.org/x"), HttpMethod.Post);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);

        (status, _) = await Get("/elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, status);

        // Port 9 (discard) on loopback: nothing listens, so the origin is unreachable.
        (status, text) = await Get("/o/" + Uri.EscapeDataString("http://127.0.0.1:9/live/index.m3u8"));
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("could not reach origin", text, StringComparison.Ordinal);

        // The node is still serving.
        var metrics = await http.GetStringAsync("/metrics", Ct);
        Assert.Contains("shoal_bytes_from_peers_total 0", metrics, StringComparison.Ordinal);
        Assert.Contains("shoal_gateway_bad_requests_total 4", metrics, StringComparison.Ordinal);
        Assert.Contains("shoal_origin_errors_total 1", metrics, StringComparison.Ordinal);
        using var statusJson = JsonDocument.Parse(await http.GetStringAsync("/api/status", Ct));
        Assert.Equal(0, statusJson.RootElement.GetProperty("neighbours").GetInt32());
        Assert.Equal(1, statusJson.RootElement.GetProperty("qos").GetProperty("origin_errors").GetInt64());
    }

    [Fact]
    public async Task A_DASH_manifest_is_rewritten_so_its_templated_segments_come_through_the_gateway()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("dash"));
        var init = TestMedia.WriteRandomFile(Path.Combine(dir.File("dash"), "init.mp4"), 900, seed: 15);
        var first = TestMedia.WriteRandomFile(Path.Combine(dir.File("dash"), "chunk-1.m4s"), 20_000, seed: 16);
        await File.WriteAllTextAsync(Path.Combine(dir.File("dash"), "manifest.mpd"), """
            <?xml version="1.0" encoding="utf-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-live:2011">
              <Period>
                <AdaptationSet mimeType="video/mp4">
                  <Representation id="v" bandwidth="100000">
                    <SegmentTemplate initialization="init.mp4" media="chunk-$Number$.m4s" startNumber="1" duration="4" timescale="1"/>
                  </Representation>
                </AdaptationSet>
              </Period>
            </MPD>
            """, Ct);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path }, TimeProvider.System, Ct);
        await using var node = await StartNodeAsync();
        using var http = new HttpClient();
        var mpdUrl = node.GatewayUrlFor(new Uri(origin.BaseUri, "dash/manifest.mpd").AbsoluteUri);

        var mpd = System.Xml.Linq.XDocument.Parse(await http.GetStringAsync(mpdUrl, Ct));
        var template = mpd.Descendants().First(e => e.Name.LocalName == "SegmentTemplate");
        var media = template.Attribute("media")!.Value;
        var initialization = template.Attribute("initialization")!.Value;
        Assert.StartsWith("/o/", media, StringComparison.Ordinal);
        Assert.Contains("$Number$", media, StringComparison.Ordinal);

        // A player substitutes $Number$ and resolves the result against the MPD's URL.
        Assert.Equal(init, await http.GetByteArrayAsync(new Uri(mpdUrl, initialization), Ct));
        Assert.Equal(first, await http.GetByteArrayAsync(new Uri(mpdUrl, media.Replace("$Number$", "1", StringComparison.Ordinal)), Ct));
        Assert.Equal("dash", Assert.Single(node.Status().Channels).Kind);
    }
}
