using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shoal.Core.Identity;
using Shoal.Core.Manifests;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;

namespace Shoal.Tracker.Http;

/// <summary>
/// The tracker's HTTP API under /v1 (ASP.NET Core minimal APIs, JSON): URL → RID mappings, signed manifests, the
/// super-peer registry, push jobs, an HTTP announce, swarm figures, Prometheus metrics at /metrics and the operator
/// overview page at /.
/// </summary>
public static class TrackerApi
{
    /// <summary>Largest signed manifest a publisher may upload.</summary>
    public const int MaxManifestUploadBytes = 8 << 20;

    private const int OverviewSwarmLimit = 1000;

    public static IEndpointRouteBuilder MapTrackerApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var v1 = app.MapGroup("/v1");

        v1.MapPost("/mappings", MapAsync);
        v1.MapGet("/mappings", async (string? url, TrackerServices s, CancellationToken ct) =>
        {
            if (url is null)
            {
                var all = await s.Store.ListMappingsAsync(ct).ConfigureAwait(false);
                return Results.Json(all.Select(m => View(m, s)).ToList(), ApiContracts.Json);
            }

            if (!OriginUrl.TryCanonicalize(url, out var canonical, out var error))
            {
                return Bad(error);
            }

            var mapping = await s.Store.GetMappingAsync(Rid.ForCanonicalUrl(canonical), ct).ConfigureAwait(false);
            return mapping is null ? NotFound($"{canonical} is not mapped.") : Results.Json(View(mapping, s), ApiContracts.Json);
        });
        v1.MapGet("/mappings/{rid}", async (string rid, TrackerServices s, CancellationToken ct) =>
        {
            if (!Rid.TryParse(rid, out var id))
            {
                return Bad($"'{rid}' is not a RID (40 hex digits or 32 base32 characters).");
            }

            var mapping = await s.Store.GetMappingAsync(id, ct).ConfigureAwait(false);
            return mapping is null ? NotFound($"RID {rid} is not mapped.") : Results.Json(View(mapping, s), ApiContracts.Json);
        });

        v1.MapGet("/key", (TrackerServices s) => Results.Json(new { mapping_service_key = s.MappingKey.PublicKey.ToString() }, ApiContracts.Json));
        v1.MapGet("/manifests/{rid}", GetManifestAsync);
        v1.MapPut("/manifests/{rid}", PutManifestAsync);

        v1.MapPost("/announce", AnnounceAsync);
        v1.MapGet("/swarms", async (TrackerServices s, CancellationToken ct) => Results.Json(await SwarmsAsync(s, ct).ConfigureAwait(false), ApiContracts.Json));
        v1.MapGet("/stats", async (TrackerServices s, CancellationToken ct) => Results.Json(await StatsAsync(s, ct).ConfigureAwait(false), ApiContracts.Json));

        v1.MapPost("/nodes/report", ReportAsync);
        v1.MapGet("/nodes/{peerId}/jobs", async (string peerId, TrackerServices s, CancellationToken ct) =>
        {
            if (!PeerId.TryParse(peerId, out var id))
            {
                return Bad($"'{peerId}' is not a peer id (40 hex digits).");
            }

            var jobs = await s.Store.TakePushJobsAsync(id, ct).ConfigureAwait(false);
            return Results.Json(jobs.Select(View).ToList(), ApiContracts.Json);
        });
        v1.MapGet("/superpeers", async (TrackerServices s, CancellationToken ct) =>
        {
            var supers = await s.Registry.ListSuperPeersAsync(ct).ConfigureAwait(false);
            return Results.Json(supers.Select(n => new { peer_id = n.PeerId.ToHex(), endpoint = n.Endpoint, uptime_s = n.UptimeSeconds, upload_capacity_bps = n.UploadCapacityBytesPerSecond, success_rate = n.SuccessRate }).ToList(), ApiContracts.Json);
        });
        v1.MapPost("/push", PushAsync);

        app.MapGet("/metrics", async (TrackerServices s, CancellationToken ct) =>
            Results.Text(PrometheusMetrics.Render(await StatsAsync(s, ct).ConfigureAwait(false)), "text/plain; version=0.0.4"));
        app.MapGet("/", async (TrackerServices s, CancellationToken ct) =>
            Results.Content(OverviewPage.Render(await StatsAsync(s, ct).ConfigureAwait(false), await SwarmsAsync(s, ct).ConfigureAwait(false), await s.Registry.ListSuperPeersAsync(ct).ConfigureAwait(false)), "text/html; charset=utf-8"));
        return app;
    }

    private static async Task<IResult> MapAsync(HttpRequest http, TrackerServices s, CancellationToken ct)
    {
        var request = await ReadJsonAsync<MappingRequest>(http, ct).ConfigureAwait(false);
        if (request is null)
        {
            return Bad("The body must be JSON like {\"url\": \"https://cdn.example/live/index.m3u8\"}.");
        }

        if (!OriginUrl.TryCanonicalize(request.Url, out var canonical, out var error))
        {
            return Bad(error);
        }

        var kind = request.Kind ?? (canonical.Contains(".m3u8", StringComparison.OrdinalIgnoreCase) ? ResourceKind.HlsLive : ResourceKind.File);
        // Playlists get the oracle unless told otherwise; a file only when asked (it costs the origin a whole copy, and a
        // publisher may sign the file instead).
        var oracle = request.Oracle ?? kind is ResourceKind.HlsLive or ResourceKind.HlsVod;
        if (oracle && kind is not (ResourceKind.HlsLive or ResourceKind.HlsVod or ResourceKind.File))
        {
            return Bad("The hash oracle follows HLS media playlists and hashes plain files only (kind hls_live, hls_vod or file).");
        }

        var rid = Rid.ForCanonicalUrl(canonical);
        var existing = await s.Store.GetMappingAsync(rid, ct).ConfigureAwait(false);
        // Asking for the oracle on a resource mapped without it turns it on (it never overwrites a publisher's manifest).
        var mapping = existing is null ? new ResourceMapping(rid, canonical, kind.ToString(), oracle, s.Time.GetUtcNow())
            : request.Oracle == true && !existing.Oracle && existing.Kind == kind.ToString() ? existing with { Oracle = true }
            : existing;
        await s.Store.PutMappingAsync(mapping, ct).ConfigureAwait(false);
        if (mapping.Oracle && !s.Oracle.Follow(mapping, out error))
        {
            return Results.Json(new ApiError(error), ApiContracts.Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Json(View(mapping, s), ApiContracts.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetManifestAsync(string rid, long? update, string? format, HttpRequest http, TrackerServices s, CancellationToken ct)
    {
        var json = format == "json" || rid.EndsWith(".json", StringComparison.Ordinal)
            || http.Headers.Accept.Any(a => a is not null && a.Contains("application/json", StringComparison.Ordinal));
        var text = rid.EndsWith(".json", StringComparison.Ordinal) ? rid[..^5] : rid;
        if (!Rid.TryParse(text, out var id))
        {
            return Bad($"'{text}' is not a RID (40 hex digits or 32 base32 characters).");
        }

        var bytes = await s.Store.GetManifestAsync(id, update, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            return NotFound(update is null ? $"No manifest for {text} yet." : $"No update {update} of {text} (too old or not yet published).");
        }

        if (!json)
        {
            return Results.Bytes(bytes, ApiContracts.ManifestMediaType);
        }

        return SignedManifest.TryDecode(bytes, out var signed, out var error)
            ? Results.Content(ManifestJson.Write(signed.Manifest, signed), "application/json")
            : Results.Json(new ApiError($"The stored manifest does not decode: {error}"), ApiContracts.Json, statusCode: StatusCodes.Status500InternalServerError);
    }

    private static async Task<IResult> PutManifestAsync(string rid, HttpRequest http, TrackerServices s, CancellationToken ct)
    {
        if (!Rid.TryParse(rid, out var id))
        {
            return Bad($"'{rid}' is not a RID.");
        }

        if (http.ContentLength is > MaxManifestUploadBytes)
        {
            return Results.Json(new ApiError($"A manifest is at most {MaxManifestUploadBytes} bytes."), ApiContracts.Json, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        using var body = new MemoryStream();
        await http.Body.CopyToAsync(body, ct).ConfigureAwait(false);
        if (body.Length > MaxManifestUploadBytes)
        {
            return Results.Json(new ApiError($"A manifest is at most {MaxManifestUploadBytes} bytes."), ApiContracts.Json, statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (!SignedManifest.TryDecode(body.ToArray(), out var signed, out var error))
        {
            return Bad($"Not a valid signed manifest: {error}");
        }

        if (signed.Manifest.Rid != id)
        {
            return Bad($"The manifest is for {signed.Manifest.Rid}, not {rid}.");
        }

        // Trust on first use: once a resource has a manifest, only the same signer may replace it.
        var existing = await s.Store.GetManifestAsync(id, null, ct).ConfigureAwait(false);
        if (existing is not null && SignedManifest.TryDecode(existing, out var previous, out _) && !previous.Signer.Equals(signed.Signer))
        {
            return Results.Json(new ApiError($"{rid} is signed by {previous.Signer}; a manifest signed by another key is refused."), ApiContracts.Json, statusCode: StatusCodes.Status409Conflict);
        }

        await s.Store.PutManifestAsync(id, signed.Manifest.UpdateNumber, body.ToArray(), ct).ConfigureAwait(false);
        return Results.Json(new { rid = id.ToHex(), update_number = signed.Manifest.UpdateNumber, signer = signed.Signer.ToString() }, ApiContracts.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> AnnounceAsync(HttpContext http, TrackerServices s, CancellationToken ct)
    {
        var request = await ReadJsonAsync<HttpAnnounceRequest>(http.Request, ct).ConfigureAwait(false);
        if (request is null || !Rid.TryParse(request.Rid, out var rid) || !PeerId.TryParse(request.PeerId, out var peerId) || request.Port is <= 0 or > ushort.MaxValue)
        {
            return Bad("The body must be JSON with rid (hex), peer_id (40 hex digits) and port (1-65535).");
        }

        var address = http.Connection.RemoteIpAddress ?? IPAddress.Loopback;
        var now = s.Time.GetUtcNow();
        var peer = new PeerRecord(PeerEndpoint.FromAddress(address, (ushort)request.Port), peerId, Math.Max(0, request.Left), s.Registry.IsSuper(peerId), now.ToUnixTimeMilliseconds());
        var want = Math.Min(request.NumWant < 0 ? s.UdpOptions.DefaultNumWant : request.NumWant, s.UdpOptions.MaxPeersPerResponse);
        var sample = new PeerSample();
        var counts = await s.Store.AnnounceAsync(rid, peer, request.Event, Math.Min(want * 4, s.UdpOptions.CandidateSampleSize), sample, now, ct).ConfigureAwait(false);
        var chosen = new PeerEndpoint[want];
        var ipv6 = !peer.Endpoint.IsIPv4;
        var count = request.Event == Udp.AnnounceEvent.Stopped ? 0 : s.Policy.Choose(peer, sample, ipv6, chosen);
        return Results.Json(
            new HttpAnnounceResponse((int)s.UdpOptions.AnnounceInterval.TotalSeconds, counts.Seeders, counts.Leechers, chosen.Take(count).Select(e => e.ToString()).ToList(), peer.Endpoint.ToString()),
            ApiContracts.Json);
    }

    private static async Task<IResult> ReportAsync(HttpContext http, TrackerServices s, CancellationToken ct)
    {
        var report = await ReadJsonAsync<NodeReport>(http.Request, ct).ConfigureAwait(false);
        if (report is null || !PeerId.TryParse(report.PeerId, out var peerId))
        {
            return Bad("The body must be JSON with peer_id (40 hex digits), uptime_s, upload_capacity_bps and success_rate.");
        }

        if (report.UptimeS < 0 || report.UploadCapacityBps < 0 || report.SuccessRate is < 0 or > 1 || report.BytesFromPeers < 0 || report.BytesFromOrigin < 0)
        {
            return Bad("uptime_s, upload_capacity_bps and the byte counters are non-negative; success_rate is between 0 and 1.");
        }

        var endpoint = report.UdpPort is > 0 and <= ushort.MaxValue && http.Connection.RemoteIpAddress is { } address
            ? PeerEndpoint.FromAddress(address, (ushort)report.UdpPort.Value).ToString()
            : null;
        var status = await s.Registry.ReportAsync(
            new NodeStatus(peerId, endpoint, report.UptimeS, report.UploadCapacityBps, report.SuccessRate, report.BytesFromPeers, report.BytesFromOrigin, false, s.Time.GetUtcNow()),
            ct).ConfigureAwait(false);
        var jobs = await s.Store.TakePushJobsAsync(peerId, ct).ConfigureAwait(false);
        return Results.Json(new NodeReportResponse(status.IsSuper, jobs.Select(View).ToList()), ApiContracts.Json);
    }

    private static async Task<IResult> PushAsync(HttpRequest http, TrackerServices s, CancellationToken ct)
    {
        var request = await ReadJsonAsync<PushRequest>(http, ct).ConfigureAwait(false);
        if (request is null)
        {
            return Bad("The body must be JSON with rid or url, and optionally fan_out.");
        }

        Rid rid;
        var url = request.Url;
        if (request.Rid is not null)
        {
            if (!Rid.TryParse(request.Rid, out rid))
            {
                return Bad($"'{request.Rid}' is not a RID.");
            }

            url ??= (await s.Store.GetMappingAsync(rid, ct).ConfigureAwait(false))?.OriginUrl;
        }
        else if (OriginUrl.TryCanonicalize(url, out var canonical, out var error))
        {
            url = canonical;
            rid = Rid.ForCanonicalUrl(canonical);
        }
        else
        {
            return Bad(error);
        }

        if (request.FanOut is < 1 or > 1000)
        {
            return Bad("fan_out is between 1 and 1000.");
        }

        var (job, assigned) = await s.Push.PushAsync(rid, url, request.FanOut, ct).ConfigureAwait(false);
        return Results.Json(new PushResponse(job.JobId, rid.ToHex(), assigned.Select(p => p.ToHex()).ToList()), ApiContracts.Json, statusCode: StatusCodes.Status202Accepted);
    }

    internal static async Task<IReadOnlyList<SwarmView>> SwarmsAsync(TrackerServices s, CancellationToken ct)
    {
        var swarms = await s.Store.ListSwarmsAsync(s.Time.GetUtcNow(), OverviewSwarmLimit, ct).ConfigureAwait(false);
        var views = new List<SwarmView>(swarms.Count);
        foreach (var swarm in swarms)
        {
            var mapping = await s.Store.GetMappingAsync(swarm.Rid, ct).ConfigureAwait(false);
            views.Add(new SwarmView(swarm.Rid.ToHex(), mapping?.OriginUrl, swarm.Counts.Seeders, swarm.Counts.Leechers, swarm.Counts.Completed, swarm.SuperPeers, swarm.LastAnnounce));
        }

        return views;
    }

    internal static async Task<TrackerStats> StatsAsync(TrackerServices s, CancellationToken ct)
    {
        var swarms = await s.Store.ListSwarmsAsync(s.Time.GetUtcNow(), int.MaxValue, ct).ConfigureAwait(false);
        var nodes = await s.Store.ListNodesAsync(ct).ConfigureAwait(false);
        var fromPeers = nodes.Sum(n => n.BytesFromPeers);
        var fromOrigin = nodes.Sum(n => n.BytesFromOrigin);
        var delivered = fromPeers + fromOrigin;
        var c = s.Udp.Counters;
        return new TrackerStats(
            c.Connects, c.Announces, c.Scrapes, c.Rejected,
            swarms.Count, swarms.Sum(w => w.Counts.Seeders + w.Counts.Leechers),
            nodes.Count, (await s.Registry.ListSuperPeersAsync(ct).ConfigureAwait(false)).Count,
            fromPeers, fromOrigin, delivered > 0 ? 1.0 - ((double)fromOrigin / delivered) : null);
    }

    private static MappingResponse View(ResourceMapping m, TrackerServices s) => new(
        m.Rid.ToHex(), m.Rid.ToBase32(), m.OriginUrl, m.Kind, m.Oracle, $"/v1/manifests/{m.Rid.ToHex()}", $"/v1/manifests/{m.Rid.ToHex()}.json", s.MappingKey.PublicKey.ToString());

    private static PushJobView View(PushJob job) => new(job.JobId, job.Rid.ToHex(), job.OriginUrl);

    private static async Task<T?> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        try
        {
            return await request.ReadFromJsonAsync<T>(ApiContracts.Json, ct).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // Not JSON content type.
            return null;
        }
    }

    private static IResult Bad(string error) => Results.Json(new ApiError(error), ApiContracts.Json, statusCode: StatusCodes.Status400BadRequest);

    private static IResult NotFound(string error) => Results.Json(new ApiError(error), ApiContracts.Json, statusCode: StatusCodes.Status404NotFound);
}
