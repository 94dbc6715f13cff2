using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Shoal.Core.Identity;
using Shoal.Core.Manifests;
using Shoal.Tracker.Http;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Client;

/// <summary>
/// A node's client of Shoal's tracker HTTP API: announce over HTTP (when UDP to the tracker is blocked), look up and
/// create URL mappings, fetch signed manifests and their updates, report to the super-peer registry and collect
/// push (warm-up) jobs.
/// </summary>
public sealed class HttpTrackerClient : ITrackerClient
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="baseAddress">The tracker's HTTP address, e.g. http://tracker.example:8080/.</param>
    /// <param name="http">A shared HttpClient, or null to make one that this client disposes.</param>
    public HttpTrackerClient(Uri baseAddress, PeerId peerId, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        BaseAddress = baseAddress;
        PeerId = peerId;
    }

    public Uri BaseAddress { get; }

    public PeerId PeerId { get; }

    public async Task<AnnounceResult> AnnounceAsync(Rid rid, ushort port, TransferStats stats, AnnounceEvent announceEvent = AnnounceEvent.None, int numWant = -1, CancellationToken cancellationToken = default)
    {
        var request = new HttpAnnounceRequest(rid.ToHex(), PeerId.ToHex(), port, stats.Downloaded, stats.Left, stats.Uploaded, announceEvent, numWant);
        var response = await PostAsync<HttpAnnounceRequest, HttpAnnounceResponse>("v1/announce", request, cancellationToken).ConfigureAwait(false);
        var peers = new List<IPEndPoint>(response.Peers.Count);
        foreach (var text in response.Peers)
        {
            if (IPEndPoint.TryParse(text, out var endPoint))
            {
                peers.Add(endPoint);
            }
        }

        return new AnnounceResult(TimeSpan.FromSeconds(response.IntervalS), response.Seeders, response.Leechers, peers);
    }

    /// <summary>Maps an origin URL (idempotent) and returns its RID and manifest location.</summary>
    public Task<MappingResponse> MapAsync(string url, ResourceKind? kind = null, bool? oracle = null, CancellationToken cancellationToken = default) =>
        PostAsync<MappingRequest, MappingResponse>("v1/mappings", new MappingRequest(url, kind, oracle), cancellationToken);

    /// <summary>The mapping of an origin URL, or null when nobody mapped it yet.</summary>
    public async Task<MappingResponse?> LookupAsync(string url, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri(BaseAddress, "v1/mappings?url=" + Uri.EscapeDataString(url)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<MappingResponse>(ApiContracts.Json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest signed manifest (or update <paramref name="updateNumber"/>) as bytes; null when there is none.</summary>
    public async Task<byte[]?> GetManifestAsync(Rid rid, long? updateNumber = null, CancellationToken cancellationToken = default)
    {
        var path = "v1/manifests/" + rid.ToHex() + (updateNumber is { } n ? "?update=" + n.ToString(CultureInfo.InvariantCulture) : string.Empty);
        using var response = await _http.GetAsync(new Uri(BaseAddress, path), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key the mapping service signs oracle manifests with: what a node trusts for third-party content.</summary>
    public async Task<PublicSigningKey> GetMappingServiceKeyAsync(CancellationToken cancellationToken = default)
    {
        var json = await _http.GetFromJsonAsync<Dictionary<string, string>>(new Uri(BaseAddress, "v1/key"), ApiContracts.Json, cancellationToken).ConfigureAwait(false);
        return json is not null && json.TryGetValue("mapping_service_key", out var hex) && PublicSigningKey.TryParse(hex, out var key, out _)
            ? key
            : throw new TrackerException($"The tracker {BaseAddress} did not give a valid mapping-service key.");
    }

    /// <summary>Reports this node's figures to the super-peer registry; the answer says whether it is a super peer and carries its push jobs.</summary>
    public Task<NodeReportResponse> ReportAsync(TimeSpan uptime, long uploadCapacityBytesPerSecond, double successRate, long bytesFromPeers, long bytesFromOrigin, ushort? udpPort = null, CancellationToken cancellationToken = default) =>
        PostAsync<NodeReport, NodeReportResponse>(
            "v1/nodes/report",
            new NodeReport(PeerId.ToHex(), udpPort, uptime.TotalSeconds, uploadCapacityBytesPerSecond, successRate, bytesFromPeers, bytesFromOrigin),
            cancellationToken);

    /// <summary>Collects the push jobs waiting for this node (each is handed out once).</summary>
    public async Task<IReadOnlyList<PushJobView>> PollJobsAsync(CancellationToken cancellationToken = default) =>
        await _http.GetFromJsonAsync<List<PushJobView>>(new Uri(BaseAddress, $"v1/nodes/{PeerId.ToHex()}/jobs"), ApiContracts.Json, cancellationToken).ConfigureAwait(false) ?? [];

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(BaseAddress, path), body, ApiContracts.Json, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<TResponse>(ApiContracts.Json, cancellationToken).ConfigureAwait(false)
            ?? throw new TrackerException($"The tracker {BaseAddress} sent an empty answer to {path}.");
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string detail;
        try
        {
            detail = (await response.Content.ReadFromJsonAsync<ApiError>(ApiContracts.Json, cancellationToken).ConfigureAwait(false))?.Error ?? string.Empty;
        }
        catch (System.Text.Json.JsonException)
        {
            detail = string.Empty;
        }

        throw new TrackerException($"The tracker {BaseAddress} answered {(int)response.StatusCode} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : string.Empty)}");
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
