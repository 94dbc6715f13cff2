using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Shoal.Node.Fetching;
using Shoal.Node.Origin;

namespace Shoal.Node.Tests.Fetching;

public sealed class OriginClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly OriginClientOptions Fast = new() { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5) };

    /// <summary>A Kestrel app on a free port whose single endpoint is <paramref name="handler"/>.</summary>
    private static async Task<(WebApplication App, Uri Url)> ServeAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(Ct);
        return (app, new Uri(new Uri(app.Urls.First()), "/thing"));
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_origin_recovers()
    {
        var calls = 0;
        var (app, url) = await ServeAsync(async context =>
        {
            if (Interlocked.Increment(ref calls) < 3)
            {
                context.Response.StatusCode = 503;
                return;
            }

            await context.Response.WriteAsync("hello", Ct);
        });
        await using var _ = app;
        using var client = new OriginClient(Fast, TimeProvider.System, new Random(1));

        Assert.Equal("hello"u8.ToArray(), await client.GetBytesAsync(url, null, Ct));
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_404_is_not_retried_and_says_what_the_origin_answered()
    {
        var calls = 0;
        var (app, url) = await ServeAsync(context =>
        {
            Interlocked.Increment(ref calls);
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        await using var _ = app;
        using var client = new OriginClient(Fast, TimeProvider.System);

        var e = await Assert.ThrowsAsync<OriginException>(() => client.GetBytesAsync(url, null, Ct));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Contains("404", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task An_unreachable_origin_fails_after_the_configured_attempts_with_a_clear_reason()
    {
        // A port that was free a moment ago: nothing listens there.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var client = new OriginClient(Fast with { MaxAttempts = 2 }, TimeProvider.System);

        var e = await Assert.ThrowsAsync<OriginException>(() => client.GetBytesAsync(new Uri($"http://127.0.0.1:{port}/x"), null, Ct));
        Assert.Contains("could not reach origin", e.Message, StringComparison.Ordinal);
        Assert.Contains("2 attempts", e.Message, StringComparison.Ordinal);
        Assert.Null(e.StatusCode);
    }

    [Fact]
    public async Task A_range_ignored_by_the_origin_is_cut_out_of_the_full_body()
    {
        var (app, url) = await ServeAsync(context => context.Response.WriteAsync("0123456789", Ct));
        await using var _ = app;
        using var client = new OriginClient(Fast, TimeProvider.System);

        Assert.Equal("345"u8.ToArray(), await client.GetBytesAsync(url, new ByteRange(3, 5), Ct));
    }

    [Fact]
    public async Task Ranges_and_HTTP2_work_against_the_demo_origin()
    {
        using var dir = new TempDirectory();
        var content = TestMedia.WriteRandomFile(dir.File("f.bin"), 70_000, seed: 5);
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path, Protocols = HttpProtocols.Http2 }, TimeProvider.System, Ct);
        using var client = new OriginClient(Fast with { Http2PriorKnowledge = true }, TimeProvider.System);
        var url = new Uri(origin.BaseUri, "f.bin");

        using (var response = await client.GetAsync(url, new ByteRange(100, 60_099), Ct))
        {
            Assert.Equal(new Version(2, 0), response.HttpVersion);
            Assert.Equal(70_000, response.TotalLength);
            using var copy = new MemoryStream();
            await response.Body.CopyToAsync(copy, Ct);
            Assert.Equal(content.AsSpan(100, 60_000).ToArray(), copy.ToArray());
        }

        var probe = await client.ProbeAsync(url, Ct);
        Assert.Equal(70_000, probe.Length);
        Assert.True(probe.SupportsRanges);
        Assert.True(client.BytesReceived >= 60_000, $"{client.BytesReceived} bytes counted");
    }

    [Fact]
    public async Task A_stalled_body_is_abandoned_after_the_idle_timeout()
    {
        var release = new TaskCompletionSource();
        var (app, url) = await ServeAsync(async context =>
        {
            context.Response.ContentLength = 100;
            await context.Response.WriteAsync("partial", Ct);
            await context.Response.Body.FlushAsync(Ct);
            await release.Task.WaitAsync(Ct);
        });
        await using var _ = app;
        using var client = new OriginClient(Fast with { BodyIdleTimeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System);

        var e = await Assert.ThrowsAsync<OriginException>(() => client.GetBytesAsync(url, null, Ct));
        Assert.Contains("sent nothing", e.Message, StringComparison.Ordinal);
        release.SetResult();
    }
}
