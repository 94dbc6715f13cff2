using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Node.Playback;

namespace Shoal.Node.Tests.Playback;

/// <summary>The simulated viewer against a real Kestrel origin serving short segments.</summary>
public sealed class HlsPlayerTests : IAsyncLifetime
{
    private static readonly byte[][] Segments = [new byte[1000], new byte[2000], new byte[3000]];
    private WebApplication? _app;
    private Uri? _base;
    private int _failuresLeft;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/vod/index.m3u8", () => Results.Text(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n" +
            "#EXTINF:0.2,\ns0.ts\n#EXTINF:0.2,\ns1.ts\n#EXTINF:0.2,\ns2.ts\n#EXT-X-ENDLIST\n",
            "application/vnd.apple.mpegurl"));
        _app.MapGet("/vod/s{n:int}.ts", (int n) =>
        {
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                return Results.StatusCode(503);
            }

            return n is >= 0 and < 3 ? Results.Bytes(Segments[n], "video/mp2t") : Results.NotFound();
        });
        _app.MapGet("/master.m3u8", () => Results.Text(
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000\nvod/index.m3u8\n", "application/vnd.apple.mpegurl"));
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_vod_stream_plays_to_its_end_with_every_byte()
    {
        using var http = new HttpClient();
        var player = new HlsPlayer(http, new Uri(_base!, "/vod/index.m3u8"), TimeProvider.System);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await player.RunAsync(guard.Token);

        var seen = player.Snapshot();
        Assert.Equal("ended", seen.State);
        Assert.Equal(6000, seen.BytesReceived);
        Assert.Equal(3, seen.SegmentsDelivered);
        Assert.NotNull(seen.StartupSeconds);
        Assert.True(seen.WatchedSeconds > 0.55, $"watched {seen.WatchedSeconds}");
        Assert.Equal(0, seen.Errors);
        Assert.Empty(seen.LagBehindLiveSamples);
    }

    [Fact]
    public async Task A_master_playlist_leads_to_its_first_variant()
    {
        using var http = new HttpClient();
        var player = new HlsPlayer(http, new Uri(_base!, "/master.m3u8"), TimeProvider.System);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await player.RunAsync(guard.Token);

        Assert.Equal(6000, player.Snapshot().BytesReceived);
    }

    [Fact]
    public async Task Failed_requests_are_counted_and_retried_not_fatal()
    {
        _failuresLeft = 2;
        using var http = new HttpClient();
        var player = new HlsPlayer(http, new Uri(_base!, "/vod/index.m3u8"), TimeProvider.System,
            new PlayerOptions { RetryDelay = TimeSpan.FromMilliseconds(10) });
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await player.RunAsync(guard.Token);

        var seen = player.Snapshot();
        Assert.Equal("ended", seen.State);
        Assert.Equal(6000, seen.BytesReceived);
        Assert.Equal(2, seen.Errors);
        Assert.Contains("503", seen.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_playlist_is_an_error_the_player_survives()
    {
        using var http = new HttpClient();
        var player = new HlsPlayer(http, new Uri(_base!, "/nothing.m3u8"), TimeProvider.System,
            new PlayerOptions { RetryDelay = TimeSpan.FromMilliseconds(20) });
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await player.RunAsync(stop.Token);

        var seen = player.Snapshot();
        Assert.Equal("stopped", seen.State);
        Assert.True(seen.Errors >= 1);
        Assert.Null(seen.StartupSeconds);
    }
}
