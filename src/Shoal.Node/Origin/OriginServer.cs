using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Shoal.Node.Origin;

/// <summary>
/// The small HTTP origin of demos and tests: the folder's files with HTTP Range (single ranges, 206/416), an optional
/// server-wide rate limit, an optional replayed live channel, and a count of the bytes served at <c>/stats</c>.
/// </summary>
public sealed class OriginServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OriginServer(WebApplication app, OriginStats stats, LiveChannel? live, Uri baseUri, string livePrefix)
    {
        _app = app;
        Stats = stats;
        Live = live;
        BaseUri = baseUri;
        LiveBaseUri = new Uri(baseUri, livePrefix.TrimStart('/') + "/");
    }

    public Uri BaseUri { get; }

    /// <summary>Where the live channel's playlist and segments live (<c>index.m3u8</c>, <c>seg-N.ext</c>).</summary>
    public Uri LiveBaseUri { get; }

    public Uri LivePlaylistUri => new(LiveBaseUri, "index.m3u8");

    public OriginStats Stats { get; }

    public LiveChannel? Live { get; }

    public static async Task<OriginServer> StartAsync(OriginServerOptions options, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var directory = Path.GetFullPath(options.Directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"the folder '{options.Directory}' does not exist");
        }

        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new ArgumentException($"'{options.Host}' is not an IP address to listen on", nameof(options));
        }

        LiveChannel? live = null;
        if (options.Live)
        {
            if (!LiveChannel.TryLoadFolder(directory, options.LiveChannel, out var segments, out var error))
            {
                throw new InvalidOperationException(error);
            }

            live = new LiveChannel(segments, options.LiveChannel, time);
        }

        FlvLiveChannel? flv = null;
        if (options.LiveFlvFile is { } flvFile && !FlvLiveChannel.TryLoad(flvFile, time, out flv, out var flvError))
        {
            throw new InvalidOperationException(flvError);
        }

        var stats = new OriginStats();
        TokenBucket? bucket = options.RateLimitBitsPerSecond is { } bits
            ? new TokenBucket(bits / 8, options.RateLimitBurstBytes, time)
            : null;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = directory });
        builder.Logging.ClearProviders();
        if (options.LogRequests)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Hosting.EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, options.Port, l => l.Protocols = options.Protocols));
        builder.WebHost.UseShutdownTimeout(options.ShutdownTimeout);
        var app = builder.Build();
        var livePrefix = "/" + options.LivePathPrefix.Trim('/');

        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals("/stats", StringComparison.Ordinal))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            stats.AddRequest();
            var isLiveSegment = live is not null && context.Request.Path.StartsWithSegments(livePrefix, StringComparison.Ordinal)
                && !context.Request.Path.Value!.EndsWith(".m3u8", StringComparison.Ordinal);
            var original = context.Features.Get<IHttpResponseBodyFeature>()!;
            var agent = OriginStats.AgentOf(context.Request.Headers.UserAgent);
            var metered = new MeteredResponseStream(original.Stream, bucket, count =>
            {
                stats.AddBytes(agent, count);
                if (isLiveSegment && context.Response.StatusCode is >= 200 and < 300)
                {
                    stats.AddLiveSegmentBytes(count);
                }
            }, options.SliceBytes);
            var feature = new StreamResponseBodyFeature(metered, original);
            context.Features.Set<IHttpResponseBodyFeature>(feature);
            try
            {
                await next(context).ConfigureAwait(false);
                await feature.CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                context.Features.Set(original);
            }
        });

        app.MapGet("/stats", () => Results.Json(new OriginStatsView(
            stats.BytesServed, stats.Requests, stats.LiveSegmentBytes,
            live?.LatestSequence, live?.FirstSequenceInWindow, stats.BytesByAgent), OriginJson.Default.OriginStatsView));

        if (flv is not null)
        {
            app.MapGet(livePrefix + "/stream.flv", async (HttpContext context) =>
            {
                context.Response.ContentType = "video/x-flv";
                context.Response.Headers.CacheControl = "no-cache";
                try
                {
                    await flv.StreamAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The viewer left: a live stream ends only that way.
                }
            });
        }

        if (live is not null)
        {
            app.MapGet(livePrefix + "/index.m3u8", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Text(live.RenderPlaylist(), "application/vnd.apple.mpegurl");
            });
            app.MapGet(livePrefix + "/{name}", (string name) =>
            {
                var ext = live.SegmentExtension;
                if (!name.StartsWith("seg-", StringComparison.Ordinal) || !name.EndsWith(ext, StringComparison.Ordinal)
                    || !long.TryParse(name.AsSpan(4, name.Length - 4 - ext.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
                {
                    return Results.NotFound($"no live segment called '{name}'");
                }

                return live.TryResolveSegment(sequence, out var path)
                    ? Results.File(path, ContentTypeFor(path), enableRangeProcessing: true)
                    : Results.NotFound($"segment {sequence} is not on air (window {live.FirstSequenceInWindow}..{live.LatestSequence})");
            });
        }

        var contentTypes = new FileExtensionContentTypeProvider();
        contentTypes.Mappings[".m3u8"] = "application/vnd.apple.mpegurl";
        contentTypes.Mappings[".ts"] = "video/mp2t";
        contentTypes.Mappings[".m4s"] = "video/iso.segment";
        contentTypes.Mappings[".mpd"] = "application/dash+xml";
        contentTypes.Mappings[".flv"] = "video/x-flv";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(directory),
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
            ContentTypeProvider = contentTypes,
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = new Uri(app.Urls.First());
        var baseUri = new Uri($"http://{options.Host}:{bound.Port}/");
        return new OriginServer(app, stats, live, baseUri, livePrefix);
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string ContentTypeFor(string path) => Path.GetExtension(path) switch
    {
        ".ts" => "video/mp2t",
        ".m4s" => "video/iso.segment",
        ".mp4" => "video/mp4",
        ".aac" => "audio/aac",
        _ => "application/octet-stream",
    };
}
