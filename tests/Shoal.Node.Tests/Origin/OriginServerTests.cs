using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Shoal.Node.Origin;

namespace Shoal.Node.Tests.Origin;

public sealed class OriginServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Static_files_honour_single_ranges_with_206_and_refuse_unsatisfiable_ones_with_416()
    {
        using var dir = new TempDirectory();
        var content = TestMedia.WriteRandomFile(dir.File("movie.mp4"), 100_000, seed: 7);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path }, TimeProvider.System, Ct);
        using var http = new HttpClient { BaseAddress = origin.BaseUri };

        var whole = await http.GetByteArrayAsync("movie.mp4", Ct);
        Assert.Equal(content, whole);

        using var partial = new HttpRequestMessage(HttpMethod.Get, "movie.mp4") { Headers = { Range = new RangeHeaderValue(1000, 1999) } };
        using var partialResponse = await http.SendAsync(partial, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partialResponse.StatusCode);
        Assert.Equal("bytes 1000-1999/100000", partialResponse.Content.Headers.ContentRange!.ToString());
        Assert.Equal(content.AsSpan(1000, 1000).ToArray(), await partialResponse.Content.ReadAsByteArrayAsync(Ct));

        using var suffix = new HttpRequestMessage(HttpMethod.Get, "movie.mp4") { Headers = { Range = new RangeHeaderValue(null, 10) } };
        using var suffixResponse = await http.SendAsync(suffix, Ct);
        Assert.Equal(content.AsSpan(99_990).ToArray(), await suffixResponse.Content.ReadAsByteArrayAsync(Ct));

        using var beyond = new HttpRequestMessage(HttpMethod.Get, "movie.mp4") { Headers = { Range = new RangeHeaderValue(200_000, null) } };
        using var beyondResponse = await http.SendAsync(beyond, Ct);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyondResponse.StatusCode);
        Assert.Equal("bytes */100000", beyondResponse.Content.Headers.ContentRange!.ToString());

        using var missing = await http.GetAsync("nothing.bin", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Stats_count_the_bytes_served()
    {
        using var dir = new TempDirectory();
        TestMedia.WriteRandomFile(dir.File("a.bin"), 12_345, seed: 1);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path }, TimeProvider.System, Ct);
        using var http = new HttpClient { BaseAddress = origin.BaseUri };
        await http.GetByteArrayAsync("a.bin", Ct);
        await http.GetByteArrayAsync("a.bin", Ct);

        using var stats = JsonDocument.Parse(await http.GetStringAsync("stats", Ct));
        Assert.Equal(24_690, stats.RootElement.GetProperty("bytes_served").GetInt64());
        Assert.Equal(2, stats.RootElement.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Stats_split_the_bytes_by_the_clients_user_agent_and_bound_the_table()
    {
        using var dir = new TempDirectory();
        TestMedia.WriteRandomFile(dir.File("a.bin"), 1_000, seed: 1);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path }, TimeProvider.System, Ct);
        using var http = new HttpClient { BaseAddress = origin.BaseUri };
        async Task GetAs(string? agent)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "a.bin");
            if (agent is not null)
            {
                request.Headers.TryAddWithoutValidation("User-Agent", agent);
            }

            using var response = await http.SendAsync(request, Ct);
            await response.Content.ReadAsByteArrayAsync(Ct);
        }

        await GetAs("shoal-oracle");
        await GetAs("Shoal-Node/1.0 (linux)");
        await GetAs("shoal-node");
        await GetAs(null);
        for (var i = 0; i < 30; i++)
        {
            await GetAs($"bot{i}");
        }

        using var stats = JsonDocument.Parse(await http.GetStringAsync("stats", Ct));
        var byAgent = stats.RootElement.GetProperty("bytes_by_agent");
        Assert.Equal(1_000, byAgent.GetProperty("shoal-oracle").GetInt64());
        Assert.Equal(2_000, byAgent.GetProperty("shoal-node").GetInt64());
        Assert.Equal(1_000, byAgent.GetProperty(OriginStats.NoAgent).GetInt64());
        Assert.True(byAgent.EnumerateObject().Count() <= OriginStats.MaxAgents + 1);
        Assert.Equal(stats.RootElement.GetProperty("bytes_served").GetInt64(), byAgent.EnumerateObject().Sum(p => p.Value.GetInt64()));
    }

    [Fact]
    public async Task The_rate_limit_holds_a_response_back_until_the_clock_has_paid_for_its_bytes()
    {
        using var dir = new TempDirectory();
        var content = TestMedia.WriteRandomFile(dir.File("slow.bin"), 5_000, seed: 2);
        var time = new FakeTimeProvider();
        await using var origin = await OriginServer.StartAsync(
            new OriginServerOptions { Directory = dir.Path, RateLimitBitsPerSecond = 8_000, RateLimitBurstBytes = 1_000, SliceBytes = 500 }, time, Ct);
        using var http = new HttpClient { BaseAddress = origin.BaseUri };

        var download = http.GetByteArrayAsync("slow.bin", Ct);
        var advanced = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(100);
        while (!download.IsCompleted)
        {
            // Bytes beyond the burst can only flow when fake time passes: 1000 B/s after a 1000 B burst.
            Assert.True(origin.Stats.BytesServed <= 1_000 + (advanced.TotalSeconds * 1_000) + 500, $"{origin.Stats.BytesServed} bytes after {advanced}");
            time.Advance(step);
            advanced += step;
            await Task.WhenAny(download, Task.Delay(5, Ct));
            Assert.True(advanced < TimeSpan.FromSeconds(60), "the download never finished");
        }

        Assert.Equal(content, await download);
        Assert.True(advanced >= TimeSpan.FromSeconds(3.5), $"5000 bytes at 1000 B/s with a 1000 B burst took only {advanced} of fake time");
    }

    [Fact]
    public async Task The_live_channel_slides_with_the_clock_and_serves_each_sequence_from_its_file_next_to_the_VOD_title()
    {
        using var dir = new TempDirectory();
        var segments = TestMedia.WriteHlsFolder(dir.Path, 3, 2.0, 1000, seed: 3);
        var time = new FakeTimeProvider();
        await using var origin = await OriginServer.StartAsync(
            new OriginServerOptions { Directory = dir.Path, Live = true, LiveChannel = new LiveChannelOptions { WindowSegments = 2 } }, time, Ct);
        using var http = new HttpClient();

        var first = await http.GetStringAsync(origin.LivePlaylistUri, Ct);
        Assert.Contains("#EXT-X-MEDIA-SEQUENCE:0", first, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(6));
        var later = await http.GetStringAsync(origin.LivePlaylistUri, Ct);
        Assert.Contains("#EXT-X-MEDIA-SEQUENCE:3", later, StringComparison.Ordinal);
        Assert.Contains("seg-4.ts", later, StringComparison.Ordinal);

        Assert.Equal(segments[1], await http.GetByteArrayAsync(new Uri(origin.LiveBaseUri, "seg-4.ts"), Ct));
        using var future = await http.GetAsync(new Uri(origin.LiveBaseUri, "seg-9.ts"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, future.StatusCode);

        // The folder itself is the VOD title.
        Assert.Equal(segments[2], await http.GetByteArrayAsync(new Uri(origin.BaseUri, "seg002.ts"), Ct));
        Assert.Contains("#EXT-X-ENDLIST", await http.GetStringAsync(new Uri(origin.BaseUri, "index.m3u8"), Ct), StringComparison.Ordinal);
        Assert.Equal(segments[1].Length, origin.Stats.LiveSegmentBytes);
    }

    [Fact]
    public async Task The_FLV_live_stream_starts_with_the_header_and_sequence_headers_then_a_keyframe()
    {
        var samples = new DirectoryInfo(AppContext.BaseDirectory);
        while (samples is not null && !File.Exists(Path.Combine(samples.FullName, "Shoal.slnx")))
        {
            samples = samples.Parent;
        }

        var flvFile = Path.Combine(samples?.FullName ?? ".", "samples", "live.flv");
        if (!File.Exists(flvFile))
        {
            Assert.Skip($"no sample FLV at {flvFile}");
        }

        using var dir = new TempDirectory();
        var time = new FakeTimeProvider();
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path, LiveFlvFile = flvFile }, time, Ct);
        time.Advance(TimeSpan.FromSeconds(5)); // a late joiner, mid-stream
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(origin.LiveBaseUri, "stream.flv"), HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);

        var header = new byte[13];
        await body.ReadExactlyAsync(header, Ct);
        Assert.Equal("FLV"u8.ToArray(), header[..3]);
        var sawVideoConfig = false;
        while (true)
        {
            var tagHeader = new byte[11];
            await body.ReadExactlyAsync(tagHeader, Ct);
            var size = (tagHeader[1] << 16) | (tagHeader[2] << 8) | tagHeader[3];
            var rest = new byte[size + 4];
            await body.ReadExactlyAsync(rest, Ct);
            var isVideoConfig = tagHeader[0] == 9 && (rest[0] & 0x0F) == 7 && rest[1] == 0;
            sawVideoConfig |= isVideoConfig;
            if (tagHeader[0] == 9 && !isVideoConfig)
            {
                // The first media video tag after the configuration is a keyframe, and it was already on air (≥ 4 s in).
                Assert.True(sawVideoConfig, "the AVC sequence header must come before any video frame");
                Assert.Equal(1, rest[0] >> 4);
                var timestamp = (tagHeader[7] << 24) | (tagHeader[4] << 16) | (tagHeader[5] << 8) | tagHeader[6];
                Assert.InRange(timestamp, 3000, 5000);
                break;
            }
        }
    }
}
