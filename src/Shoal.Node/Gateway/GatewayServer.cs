using Shoal.Core.Manifests;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Node.Dashboard;
using Shoal.Node.Fetching;
using Shoal.Node.Storage;

namespace Shoal.Node.Gateway;

/// <summary>
/// The player-facing HTTP server of a node (Kestrel, loopback by default): <c>/o/&lt;origin URL&gt;</c> for content,
/// <c>/metrics</c> in the Prometheus text format and <c>/api/status</c> as JSON.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The gateway's address, e.g. http://127.0.0.1:8080/.</summary>
    public Uri BaseUri { get; }

    /// <summary>The URL a player uses for <paramref name="originUrl"/>.</summary>
    public Uri UrlFor(string originUrl) => new(BaseUri, GatewayUrls.ForOrigin(originUrl));

    public static async Task<GatewayServer> StartAsync(
        GatewayOptions options,
        ISegmentSource segments,
        OriginClient origin,
        ContentStore store,
        NodeMetrics metrics,
        ChannelDirectory channels,
        Func<Uri, GatewayStatus> status,
        TimeProvider time,
        ILoggerFactory? loggers = null,
        Action<Uri, ResourceKind>? resourceServed = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(status);
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new ArgumentException($"'{options.Host}' is not an IP address to listen on", nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.LogRequests)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Hosting.EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, options.Port));
        var app = builder.Build();
        var logger = (ILogger?)loggers?.CreateLogger("Shoal.Node.Gateway") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var handler = new GatewayRequestHandler(options, segments, origin, metrics, channels, time, logger, resourceServed);
        Uri? self = null;

        app.Map("/o/{**rest}", handler.HandleAsync);
        app.MapGet("/metrics", () => Results.Text(metrics.ToPrometheus(Gauges(store)), "text/plain; version=0.0.4; charset=utf-8", Encoding.UTF8));
        app.MapGet("/api/status", () => Results.Json(status(self!), GatewayJson.Default.GatewayStatus));
        app.MapDashboard();
        app.MapGet("/", () => Results.Text(
            "Shoal gateway. Play any origin URL through it as /o/<percent-encoded origin URL>, e.g. " +
            GatewayUrls.ForOrigin("http://cdn.example/live/index.m3u8") + "\nDashboard: /ui   Metrics: /metrics   Status: /api/status\n"));
        app.MapFallback((HttpContext context) =>
        {
            metrics.AddBadRequest();
            return Results.Text($"nothing at {context.Request.Path}; content is at /o/<percent-encoded origin URL>\n", statusCode: StatusCodes.Status404NotFound);
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = new Uri(app.Urls.First());
        self = new Uri($"http://{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.Host}]" : options.Host)}:{bound.Port}/");
        return new GatewayServer(app, self);
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private static IEnumerable<(string, string, double)> Gauges(ContentStore store)
    {
        yield return ("shoal_store_memory_bytes", "Bytes of pieces held in memory.", store.Memory.SizeBytes);
        yield return ("shoal_store_memory_segments", "Segments with pieces in memory.", store.Memory.SegmentCount);
        if (store.Disk is { } disk)
        {
            yield return ("shoal_store_disk_bytes", "Bytes of the disk cache's files.", disk.SizeBytes);
            yield return ("shoal_store_disk_capacity_bytes", "Configured size bound of the disk cache.", disk.CapacityBytes);
            yield return ("shoal_store_disk_segments", "Segments in the disk cache.", disk.SegmentCount);
            yield return ("shoal_store_disk_written_bytes", "Bytes written to the disk cache since start (flash wear).", disk.BytesWritten);
            yield return ("shoal_store_disk_writes_over_budget", "Pieces kept in memory only because the hourly write budget was spent.", disk.WritesSkippedForBudget);
            yield return ("shoal_store_disk_write_failures", "Failed disk writes (full disk, I/O errors).", disk.WriteFailures);
        }
    }
}
