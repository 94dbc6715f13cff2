using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shoal.Tracker.Tests.Support;

/// <summary>A plain HLS origin on Kestrel (no signatures): a playlist the test rewrites, and segments of known bytes.</summary>
internal sealed class TestOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile string _playlist = "#EXTM3U\n";

    private TestOrigin(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri PlaylistUri => new(BaseAddress, "live/index.m3u8");

    public ConcurrentDictionary<string, int> Requests { get; } = new();

    public static async Task<TestOrigin> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestOrigin? origin = null;
        app.MapGet("/live/index.m3u8", () =>
        {
            origin!.Requests.AddOrUpdate("index.m3u8", 1, (_, n) => n + 1);
            return Results.Text(origin._playlist, "application/vnd.apple.mpegurl");
        });
        app.MapGet("/live/{name}", (string name) =>
        {
            origin!.Requests.AddOrUpdate(name, 1, (_, n) => n + 1);
            return Results.Bytes(SegmentBytes(name), "video/mp2t");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin = new TestOrigin(app, new Uri(address + "/"));
        return origin;
    }

    /// <summary>Deterministic bytes of a segment, a few KiB to span several chunks and a partial last one.</summary>
    public static byte[] SegmentBytes(string name)
    {
        var bytes = new byte[5000 + (name.Length * 321)];
        new Random(name.GetHashCode(StringComparison.Ordinal)).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A live (or, with <paramref name="ended"/>, on-demand) media playlist of segN.ts for N in the range.</summary>
    public void SetPlaylist(long firstSequence, int count, bool ended = false)
    {
        var text = new System.Text.StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n");
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{firstSequence}\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"#EXTINF:2.000,\nseg{firstSequence + i}.ts\n");
        }

        if (ended)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }

        _playlist = text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
