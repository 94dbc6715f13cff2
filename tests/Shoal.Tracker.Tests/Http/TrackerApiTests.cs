using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;
using Shoal.Tracker.SuperPeers;
using Shoal.Tracker.Tests.Support;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Http;

/// <summary>The /v1 API on real Kestrel with a real HttpClient.</summary>
public sealed class TrackerApiTests : IAsyncLifetime
{
    /// <summary>Small, so the test file spans several segments and a short last one.</summary>
    private const int FileSegmentBytes = 4096;

    private readonly SigningKeyPair _key = SigningKeyPair.Generate();
    private TrackerHost _host = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new TrackerHostOptions
        {
            UdpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Udp = new UdpTrackerOptions { ReceiveLoops = 2 },
            Oracle = new Shoal.Tracker.Oracle.HashOracleOptions { FileSegmentBytes = FileSegmentBytes },
            SuperPeers = new SuperPeerOptions { PromoteMinUptime = TimeSpan.FromMinutes(10), PromoteMinUploadBytesPerSecond = 1_000_000, PromoteMinSuccessRate = 0.9, DemoteBelowSuccessRate = 0.8 },
        };
        _host = await TrackerHost.StartAsync(options, _key, cancellationToken: Ct);
        _http = new HttpClient { BaseAddress = _host.HttpAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task Maps_an_origin_url_to_its_rid_and_finds_it_again()
    {
        await using var client = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());
        var mapping = await client.MapAsync("HTTPS://CDN.example:443/vod/movie.mp4?b=2&a=1", ResourceKind.File, cancellationToken: Ct);
        var canonical = OriginUrl.Canonicalize("https://cdn.example/vod/movie.mp4?b=2&a=1");
        Assert.Equal(Rid.ForUrl(canonical).ToHex(), mapping.Rid);
        Assert.Equal(canonical, mapping.Url);
        Assert.False(mapping.Oracle);
        Assert.Equal($"/v1/manifests/{mapping.Rid}", mapping.Manifest);
        Assert.Equal(_key.PublicKey.ToString(), mapping.SignerKey);

        Assert.Equal(mapping, await client.LookupAsync("https://cdn.example/vod/movie.mp4?b=2&a=1", Ct));
        Assert.Equal(mapping.Url, (await _http.GetFromJsonAsync<JsonElement>($"/v1/mappings/{mapping.RidBase32}", Ct)).GetProperty("url").GetString());
        Assert.Null(await client.LookupAsync("https://cdn.example/never-mapped", Ct));
        Assert.Equal(_key.PublicKey, await client.GetMappingServiceKeyAsync(Ct));
    }

    [Fact]
    public async Task Bad_requests_get_a_clear_error_not_a_crash()
    {
        var response = await _http.PostAsJsonAsync("/v1/mappings", new { url = "ftp://nope" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString()));

        response = await _http.PostAsync("/v1/mappings", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/v1/manifests/xyz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/v1/manifests/{Rid.ForUrl("https://x.example/").ToHex()}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PutAsync($"/v1/manifests/{Rid.ForUrl("https://x.example/").ToHex()}", new ByteArrayContent([1, 2, 3]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync("/v1/nodes/report", new { peer_id = "zz" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync("/v1/announce", new { rid = "00", port = 1 }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Serves_signed_manifests_binary_and_json_and_keeps_the_first_signer()
    {
        var rid = Rid.ForUrl("https://cdn.example/vod/published.m3u8");
        var bytes = new byte[3000];
        var manifest = new Manifest(rid, ResourceKind.HlsVod, [new SegmentEntry(0, "https://cdn.example/vod/0.ts", null, bytes.Length, TimeSpan.FromSeconds(4), MerkleTree.Build(MerkleHashFunction.Sha256, bytes).Root)]);
        var signed = SignedManifest.Sign(manifest, _key);

        var put = await _http.PutAsync($"/v1/manifests/{rid.ToHex()}", new ByteArrayContent(signed.Bytes.ToArray()), Ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        await using var client = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());
        Assert.Equal(signed.Bytes.ToArray(), await client.GetManifestAsync(rid, cancellationToken: Ct));
        var json = await _http.GetFromJsonAsync<JsonElement>($"/v1/manifests/{rid.ToHex()}.json", Ct);
        Assert.Equal(rid.ToHex(), json.GetProperty("rid").GetString());
        Assert.Equal(_key.PublicKey.ToString(), json.GetProperty("signer").GetString());

        using var intruder = SigningKeyPair.Generate();
        var forged = SignedManifest.Sign(manifest, intruder);
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PutAsync($"/v1/manifests/{rid.ToHex()}", new ByteArrayContent(forged.Bytes.ToArray()), Ct)).StatusCode);
        var other = Rid.ForUrl("https://cdn.example/other");
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PutAsync($"/v1/manifests/{other.ToHex()}", new ByteArrayContent(signed.Bytes.ToArray()), Ct)).StatusCode);
    }

    [Fact]
    public async Task Registry_promotes_and_demotes_and_push_reaches_only_chosen_super_peers()
    {
        await using var strong = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());
        await using var weak = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());
        Assert.True((await strong.ReportAsync(TimeSpan.FromHours(2), 5_000_000, 0.99, 900, 100, 7001, Ct)).Super);
        Assert.False((await weak.ReportAsync(TimeSpan.FromHours(2), 200_000, 0.99, 0, 0, cancellationToken: Ct)).Super);

        var rid = Rid.ForUrl("https://cdn.example/live/popular.m3u8");
        var push = await _http.PostAsJsonAsync("/v1/push", new { rid = rid.ToHex(), fan_out = 5 }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);
        var assigned = (await push.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("assigned").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal([strong.PeerId.ToHex()], assigned);

        var report = await strong.ReportAsync(TimeSpan.FromHours(2), 5_000_000, 0.85, 900, 100, 7001, Ct);
        Assert.True(report.Super); // 0.85 is under the promote bar but above the demote bar: hysteresis keeps it
        Assert.Equal(rid.ToHex(), Assert.Single(report.Jobs).Rid);
        Assert.Empty(await weak.PollJobsAsync(Ct));
        Assert.Empty(await strong.PollJobsAsync(Ct)); // handed out once

        Assert.False((await strong.ReportAsync(TimeSpan.FromHours(2), 5_000_000, 0.5, 900, 100, 7001, Ct)).Super);
        Assert.Empty(await _http.GetFromJsonAsync<JsonElement[]>("/v1/superpeers", Ct) ?? []);
    }

    [Fact]
    public async Task Super_peers_lead_the_peer_lists_of_udp_announces()
    {
        await using var super = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());
        await super.ReportAsync(TimeSpan.FromHours(2), 5_000_000, 0.99, 0, 0, cancellationToken: Ct);
        var rid = Rid.ForUrl("https://cdn.example/live/mixed.m3u8");
        var fast = new UdpTrackerClientOptions { BaseTimeout = TimeSpan.FromMilliseconds(250), MaxAttempts = 4 };
        await using (var superUdp = new UdpTrackerClient(_host.UdpEndPoint, super.PeerId, fast))
        {
            await superUdp.AnnounceAsync(rid, 9000, TransferStats.Seeding(), cancellationToken: Ct);
        }

        for (var i = 0; i < 60; i++)
        {
            await using var viewer = new UdpTrackerClient(_host.UdpEndPoint, PeerId.NewRandom(), fast);
            await viewer.AnnounceAsync(rid, (ushort)(10_000 + i), new TransferStats(0, 1, 0), numWant: 0, cancellationToken: Ct);
        }

        await using var asker = new UdpTrackerClient(_host.UdpEndPoint, PeerId.NewRandom(), fast);
        for (var round = 0; round < 5; round++)
        {
            var answer = await asker.AnnounceAsync(rid, 20_000, new TransferStats(0, 1, 0), numWant: 8, cancellationToken: Ct);
            Assert.Equal(8, answer.Peers.Count);
            Assert.Contains(new IPEndPoint(IPAddress.Loopback, 9000), answer.Peers);
        }
    }

    [Fact]
    public async Task Http_announce_finds_peers_and_the_overview_shows_swarms_and_offload()
    {
        var rid = Rid.ForUrl("https://cdn.example/live/http-only.m3u8");
        await using var alice = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());
        await using var bob = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());
        await alice.AnnounceAsync(rid, 7001, TransferStats.Seeding(), AnnounceEvent.Started, cancellationToken: Ct);
        var answer = await bob.AnnounceAsync(rid, 7002, new TransferStats(0, 10, 0), AnnounceEvent.Started, cancellationToken: Ct);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7001)], answer.Peers);
        await alice.ReportAsync(TimeSpan.FromMinutes(1), 1, 1, bytesFromPeers: 900, bytesFromOrigin: 100, cancellationToken: Ct);

        var stats = await _http.GetFromJsonAsync<JsonElement>("/v1/stats", Ct);
        Assert.Equal(0.9, stats.GetProperty("offload").GetDouble(), 6);
        Assert.Equal(2, stats.GetProperty("peers").GetInt32());

        var metrics = await _http.GetStringAsync("/metrics", Ct);
        Assert.Contains("# TYPE shoal_tracker_peers gauge\nshoal_tracker_peers 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("shoal_bytes_from_peers_total 900\n", metrics, StringComparison.Ordinal);

        var page = await _http.GetStringAsync("/", Ct);
        Assert.Contains("Shoal tracker", page, StringComparison.Ordinal);
        Assert.Contains(rid.ToHex(), page, StringComparison.Ordinal);
        Assert.Contains("90.0", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mapping_a_plain_hls_origin_starts_the_oracle_and_its_manifest_verifies_with_the_mapping_key()
    {
        await using var origin = await TestOrigin.StartAsync();
        origin.SetPlaylist(firstSequence: 0, count: 3);
        await using var client = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());
        var mapping = await client.MapAsync(origin.PlaylistUri.AbsoluteUri, cancellationToken: Ct);
        Assert.True(mapping.Oracle);
        var rid = Rid.Parse(mapping.Rid);

        // The oracle runs in the background: wait for its first update (a real event), with a deadline as a guard.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        byte[]? bytes;
        while ((bytes = await client.GetManifestAsync(rid, cancellationToken: deadline.Token)) is null)
        {
            await Task.Delay(50, deadline.Token);
        }

        var trusted = await client.GetMappingServiceKeyAsync(Ct);
        Assert.True(SignedManifest.TryDecode(bytes, trusted, out var signed, out var error), error);
        Assert.Equal(3, signed.Manifest.Segments.Count);
    }

    [Fact]
    public async Task Mapping_a_plain_file_with_the_oracle_publishes_one_manifest_of_fixed_size_segments_hashed_once()
    {
        await using var origin = await TestOrigin.StartAsync();
        var file = new Uri(origin.BaseAddress, "live/movie-file.bin");
        var bytes = TestOrigin.SegmentBytes("movie-file.bin");
        await using var client = new HttpTrackerClient(_host.HttpAddress, PeerId.NewRandom());

        // Without asking, a file gets no oracle (a publisher may sign it); asking turns it on for the same mapping.
        Assert.False((await client.MapAsync(file.AbsoluteUri, cancellationToken: Ct)).Oracle);
        var mapping = await client.MapAsync(file.AbsoluteUri, ResourceKind.File, oracle: true, cancellationToken: Ct);
        Assert.True(mapping.Oracle);
        var rid = Rid.Parse(mapping.Rid);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        byte[]? signedBytes;
        while ((signedBytes = await client.GetManifestAsync(rid, cancellationToken: deadline.Token)) is null)
        {
            await Task.Delay(50, deadline.Token);
        }

        Assert.True(SignedManifest.TryDecode(signedBytes, _key.PublicKey, out var signed, out var error), error);
        var manifest = signed.Manifest;
        Assert.Equal(ResourceKind.File, manifest.Kind);
        Assert.Equal(0, manifest.UpdateNumber);
        Assert.Equal(bytes.Length, manifest.TotalLength);
        const int size = FileSegmentBytes;
        Assert.Equal((bytes.Length + size - 1) / size, manifest.Segments.Count);
        foreach (var segment in manifest.Segments)
        {
            Assert.Equal(file.AbsoluteUri, segment.Uri);
            Assert.Equal(segment.Sequence * size, segment.Offset);
            Assert.Null(segment.Duration);
            var slice = bytes.AsSpan((int)segment.Offset!.Value, (int)segment.Length).ToArray();
            Assert.Equal(MerkleTree.Build(MerkleHashFunction.Sha256, slice).Root, segment.Root);
        }

        Assert.Equal(1, origin.Requests["movie-file.bin"]); // one streaming GET, hashed on the way

    }
}
