using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Shoal.Core.Identity;
using Shoal.Core.Manifests;
using Shoal.Node.Fetching;
using Shoal.Node.Storage;

namespace Shoal.Node.Gateway;

/// <summary>
/// Serves <c>/o/&lt;origin URL&gt;</c>: rewritten HLS playlists and DASH manifests, media segments from the
/// <see cref="ISegmentSource"/>, files and progressive video with Range (cut into fixed slices), and anything the
/// origin streams without a length (HTTP-FLV live) as one continuous response. Bad requests get a 4xx with a reason,
/// origin failures a 502 with the reason; a failure after the response has started aborts that response only.
/// </summary>
internal sealed partial class GatewayRequestHandler(
    GatewayOptions options,
    ISegmentSource segments,
    OriginClient origin,
    NodeMetrics metrics,
    ChannelDirectory channels,
    TimeProvider time,
    ILogger logger,
    Action<Uri, ResourceKind>? resourceServed = null)
{
    private const string HlsContentType = "application/vnd.apple.mpegurl";
    private const string DashContentType = "application/dash+xml";

    private readonly ConcurrentDictionary<string, (ResourceProbe Probe, long At)> _probes = new(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        metrics.AddRequest();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? string.Empty;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, $"the gateway serves GET and HEAD, not {context.Request.Method}").ConfigureAwait(false);
            return;
        }

        if (!GatewayUrls.TryParse(rawTarget, out var target, out var error))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        var cancel = context.RequestAborted;
        try
        {
            var path = target.Origin.AbsolutePath;
            // ffmpeg and others send "Range: bytes=0-" on every request; that is the whole segment (RFC 9110 §14.2 lets us answer 200).
            var range = context.Request.Headers.Range.ToString();
            var hasRange = range.Length > 0 && range.Replace(" ", string.Empty, StringComparison.Ordinal) != "bytes=0-";
            if (target.IsSegment && !hasRange)
            {
                await ServeSegmentAsync(context, target, cancel).ConfigureAwait(false);
            }
            else if (path.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".m3u", StringComparison.OrdinalIgnoreCase))
            {
                await ServeHlsAsync(context, target, cancel).ConfigureAwait(false);
            }
            else if (path.EndsWith(".mpd", StringComparison.OrdinalIgnoreCase))
            {
                await ServeDashAsync(context, target, cancel).ConfigureAwait(false);
            }
            else
            {
                await ServeFileAsync(context, target, cancel).ConfigureAwait(false);
            }
        }
        catch (OriginException e) when (!context.Response.HasStarted)
        {
            metrics.AddOriginError();
            LogOriginFailure(logger, target.Origin, e.Message);
            var status = e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone or HttpStatusCode.Unauthorized
                ? (int)e.StatusCode.Value
                : StatusCodes.Status502BadGateway;
            await WriteTextAsync(context, status, e.Message).ConfigureAwait(false);
        }
        catch (OriginException e)
        {
            metrics.AddOriginError();
            LogOriginFailure(logger, target.Origin, e.Message);
            context.Abort();
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The player went away; nothing to answer.
        }
        catch (IOException) when (cancel.IsCancellationRequested)
        {
        }
    }

    private async Task ServeHlsAsync(HttpContext context, GatewayTarget target, CancellationToken cancel)
    {
        var body = await origin.GetBytesAsync(target.Origin, null, cancel).ConfigureAwait(false);
        metrics.AddBytesFromOrigin(body.Length);
        if (!HlsPlaylistRewriter.TryRewrite(Encoding.UTF8.GetString(body), target.Origin, options.LiveLag, out var rewritten, out var info, out var error))
        {
            throw new OriginException(error);
        }

        context.Response.Headers.CacheControl = info.IsLive || info.IsMaster ? "no-cache" : "max-age=60";
        metrics.AddPlaylistServed();
        channels.Note(target.CanonicalOrigin, GatewayUrls.ForOrigin(target.Origin), info.IsMaster ? "hls-master" : "hls", info.IsLive);
        if (!info.IsMaster)
        {
            resourceServed?.Invoke(target.Origin, ResourceKind.HlsLive);
        }
        await WriteTextAsync(context, StatusCodes.Status200OK, rewritten, HlsContentType).ConfigureAwait(false);
    }

    private async Task ServeDashAsync(HttpContext context, GatewayTarget target, CancellationToken cancel)
    {
        var body = await origin.GetBytesAsync(target.Origin, null, cancel).ConfigureAwait(false);
        metrics.AddBytesFromOrigin(body.Length);
        if (!DashManifestRewriter.TryRewrite(Encoding.UTF8.GetString(body), target.Origin, out var rewritten, out var live, out var error))
        {
            throw new OriginException(error);
        }

        context.Response.Headers.CacheControl = "no-cache";
        metrics.AddPlaylistServed();
        channels.Note(target.CanonicalOrigin, GatewayUrls.ForOrigin(target.Origin), "dash", live);
        await WriteTextAsync(context, StatusCodes.Status200OK, rewritten, DashContentType).ConfigureAwait(false);
    }

    private async Task ServeSegmentAsync(HttpContext context, GatewayTarget target, CancellationToken cancel)
    {
        var request = new SegmentRequest(new SegmentKey(target.Resource!.Value, target.Sequence!.Value), target.Origin, null, target.Live);
        await using var pieces = segments.ReadAsync(request, cancel).GetAsyncEnumerator(cancel);

        // The first piece decides the status: a failure before it is still a clean 502.
        var hasFirst = await pieces.MoveNextAsync().ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = ContentTypeFor(target.Origin.AbsolutePath);
        context.Response.Headers.CacheControl = target.Live ? "max-age=60" : "max-age=86400";
        metrics.AddSegmentServed();
        if (HttpMethods.IsHead(context.Request.Method) || !hasFirst)
        {
            return;
        }

        do
        {
            await context.Response.Body.WriteAsync(pieces.Current, cancel).ConfigureAwait(false);
            metrics.AddBytesToPlayers(pieces.Current.Length);
        }
        while (await pieces.MoveNextAsync().ConfigureAwait(false));
    }

    private async Task ServeFileAsync(HttpContext context, GatewayTarget target, CancellationToken cancel)
    {
        var probe = await ProbeAsync(target, cancel).ConfigureAwait(false);
        if (probe.ContentType is { } type && type.Contains("mpegurl", StringComparison.OrdinalIgnoreCase))
        {
            await ServeHlsAsync(context, target, cancel).ConfigureAwait(false);
            return;
        }

        if (!probe.SupportsRanges || probe.Length is not { } length)
        {
            await RelayStreamAsync(context, target, cancel).ConfigureAwait(false);
            return;
        }

        // A file with a length and ranges is cut into slices the swarm can carry too (the node joins its swarm once).
        resourceServed?.Invoke(target.Origin, ResourceKind.File);
        var outcome = RangeRequest.Evaluate(context.Request.Headers.Range.ToString(), length, out var range);
        context.Response.Headers.AcceptRanges = "bytes";
        if (outcome == RangeRequest.Outcome.Unsatisfiable)
        {
            metrics.AddBadRequest();
            context.Response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes */{length}");
            await WriteTextAsync(context, StatusCodes.Status416RangeNotSatisfiable, $"the range {context.Request.Headers.Range} lies beyond the {length} bytes of {target.Origin}").ConfigureAwait(false);
            return;
        }

        if (outcome == RangeRequest.Outcome.Whole)
        {
            range = new ByteRange(0, length - 1);
        }

        var resource = Rid.ForCanonicalUrl(target.CanonicalOrigin);
        var slice = options.FileSliceBytes;
        var firstSlice = range.First / slice;
        var lastSlice = range.Last / slice;
        var started = false;
        for (var sequence = firstSlice; sequence <= lastSlice && length > 0; sequence++)
        {
            var sliceStart = sequence * slice;
            var sliceRange = new ByteRange(sliceStart, Math.Min(length, sliceStart + slice) - 1);
            var position = sliceStart;
            await foreach (var piece in segments.ReadAsync(new SegmentRequest(new SegmentKey(resource, sequence), target.Origin, sliceRange, Live: false), cancel).ConfigureAwait(false))
            {
                var from = Math.Max(range.First, position);
                var to = Math.Min(range.Last, position + piece.Length - 1);
                if (!started)
                {
                    started = true;
                    context.Response.StatusCode = outcome == RangeRequest.Outcome.Partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
                    context.Response.ContentType = probe.ContentType ?? ContentTypeFor(target.Origin.AbsolutePath);
                    context.Response.ContentLength = range.Length;
                    if (outcome == RangeRequest.Outcome.Partial)
                    {
                        context.Response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.First}-{range.Last}/{length}");
                    }

                    if (HttpMethods.IsHead(context.Request.Method))
                    {
                        return;
                    }
                }

                if (from <= to)
                {
                    var slicePart = piece.Slice((int)(from - position), (int)(to - from + 1));
                    await context.Response.Body.WriteAsync(slicePart, cancel).ConfigureAwait(false);
                    metrics.AddBytesToPlayers(slicePart.Length);
                }

                position += piece.Length;
                if (position > range.Last)
                {
                    break;
                }
            }

            metrics.AddSegmentServed();
        }
    }

    /// <summary>
    /// A resource without a length or Range support (HTTP-FLV live): one continuous response, passed on as it comes.
    /// The origin starts every new connection with the FLV header and sequence headers, so a late joiner can play.
    /// </summary>
    private async Task RelayStreamAsync(HttpContext context, GatewayTarget target, CancellationToken cancel)
    {
        using var response = await origin.GetAsync(target.Origin, null, cancel).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = response.ContentType ?? ContentTypeFor(target.Origin.AbsolutePath);
        context.Response.Headers.CacheControl = "no-cache";
        if (response.ContentLength is { } n)
        {
            context.Response.ContentLength = n;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var buffer = new byte[options.PieceSize];
        int read;
        while ((read = await response.Body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
        {
            metrics.AddBytesFromOrigin(read);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
            metrics.AddBytesToPlayers(read);
        }
    }

    private async Task<ResourceProbe> ProbeAsync(GatewayTarget target, CancellationToken cancel)
    {
        var now = time.GetTimestamp();
        if (_probes.TryGetValue(target.CanonicalOrigin, out var cached) && time.GetElapsedTime(cached.At, now) < options.ProbeCacheTime)
        {
            return cached.Probe;
        }

        var probe = await origin.ProbeAsync(target.Origin, cancel).ConfigureAwait(false);
        metrics.AddBytesFromOrigin(probe.SupportsRanges ? 1 : 0);
        if (probe.SupportsRanges)
        {
            _probes[target.CanonicalOrigin] = (probe, now);
        }

        return probe;
    }

    private async Task RefuseAsync(HttpContext context, int status, string reason)
    {
        metrics.AddBadRequest();
        await WriteTextAsync(context, status, reason).ConfigureAwait(false);
    }

    private static async Task WriteTextAsync(HttpContext context, int status, string text, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(contentType.StartsWith("text/plain", StringComparison.Ordinal) ? text + "\n" : text);
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string ContentTypeFor(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".TS" => "video/mp2t",
        ".M4S" => "video/iso.segment",
        ".MP4" or ".M4V" => "video/mp4",
        ".M4A" => "audio/mp4",
        ".AAC" => "audio/aac",
        ".FLV" => "video/x-flv",
        _ => "application/octet-stream",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "gateway: origin failure for {Origin}: {Reason}")]
    private static partial void LogOriginFailure(ILogger logger, Uri origin, string reason);
}
