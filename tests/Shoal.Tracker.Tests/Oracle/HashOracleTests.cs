using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;
using Shoal.Tracker.Oracle;
using Shoal.Tracker.State;
using Shoal.Tracker.Tests.Support;

namespace Shoal.Tracker.Tests.Oracle;

public sealed class HashOracleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Live_playlist_gets_chained_signed_updates_and_each_segment_is_fetched_once()
    {
        await using var origin = await TestOrigin.StartAsync();
        using var http = new HttpClient();
        using var key = SigningKeyPair.Generate();
        var store = new InMemoryTrackerStore(TimeSpan.FromMinutes(4));
        await using var oracle = new HashOracle(http, store, key, TimeProvider.System, new HashOracleOptions { WindowSegments = 4 });
        var rid = Rid.ForUrl(origin.PlaylistUri.AbsoluteUri);
        var follower = new LiveManifestFollower(key.PublicKey, rid);

        origin.SetPlaylist(firstSequence: 10, count: 3);
        var next = await oracle.PollOnceAsync(rid, origin.PlaylistUri, Ct);
        Assert.Equal(TimeSpan.FromSeconds(2), next);
        Assert.True(follower.TryAccept(await store.GetManifestAsync(rid, 1, Ct), out var first, out var error), error);
        Assert.Equal(ResourceKind.HlsLive, first.Manifest.Kind);
        Assert.Equal([10L, 11, 12], first.Manifest.Segments.Select(s => s.Sequence));
        foreach (var segment in first.Manifest.Segments)
        {
            var bytes = TestOrigin.SegmentBytes($"seg{segment.Sequence}.ts");
            Assert.Equal(MerkleTree.Build(MerkleHashFunction.Sha256, bytes).Root, segment.Root);
            Assert.Equal(bytes.Length, segment.Length);
            Assert.Equal(new Uri(origin.BaseAddress, $"live/seg{segment.Sequence}.ts").AbsoluteUri, segment.Uri);
            Assert.Equal(TimeSpan.FromSeconds(2), segment.Duration);
        }

        Assert.Equal(TimeSpan.FromSeconds(1), await oracle.PollOnceAsync(rid, origin.PlaylistUri, Ct)); // nothing new: half the target duration
        Assert.Null(await store.GetManifestAsync(rid, 2, Ct));

        origin.SetPlaylist(firstSequence: 11, count: 4); // 10 slid out, 13 and 14 are new
        await oracle.PollOnceAsync(rid, origin.PlaylistUri, Ct);
        Assert.True(follower.TryAccept(await store.GetManifestAsync(rid, null, Ct), out var second, out error), error);
        Assert.Equal(2, second.Manifest.UpdateNumber);
        Assert.Equal([11L, 12, 13, 14], second.Manifest.Segments.Select(s => s.Sequence));

        Assert.All(Enumerable.Range(10, 5), n => Assert.Equal(1, origin.Requests[$"seg{n}.ts"]));
        Assert.Equal(5, oracle.SegmentsHashed);
    }

    [Fact]
    public async Task Ended_playlist_gets_one_on_demand_manifest_and_no_more_polls()
    {
        await using var origin = await TestOrigin.StartAsync();
        using var http = new HttpClient();
        using var key = SigningKeyPair.Generate();
        var store = new InMemoryTrackerStore(TimeSpan.FromMinutes(4));
        await using var oracle = new HashOracle(http, store, key, TimeProvider.System, new HashOracleOptions());
        var rid = Rid.ForUrl(origin.PlaylistUri.AbsoluteUri);

        origin.SetPlaylist(firstSequence: 0, count: 5, ended: true);
        Assert.Null(await oracle.PollOnceAsync(rid, origin.PlaylistUri, Ct));
        Assert.True(SignedManifest.TryDecode(await store.GetManifestAsync(rid, null, Ct), key.PublicKey, out var vod, out var error), error);
        Assert.Equal(ResourceKind.HlsVod, vod.Manifest.Kind);
        Assert.Equal(0, vod.Manifest.UpdateNumber);
        Assert.Equal(5, vod.Manifest.Segments.Count);
    }

    [Fact]
    public async Task Oversized_segments_are_refused_not_hashed()
    {
        await using var origin = await TestOrigin.StartAsync();
        using var http = new HttpClient();
        using var key = SigningKeyPair.Generate();
        var store = new InMemoryTrackerStore(TimeSpan.FromMinutes(4));
        await using var oracle = new HashOracle(http, store, key, TimeProvider.System, new HashOracleOptions { MaxSegmentBytes = 1000 });
        var rid = Rid.ForUrl(origin.PlaylistUri.AbsoluteUri);
        origin.SetPlaylist(0, 1);
        await Assert.ThrowsAsync<InvalidDataException>(() => oracle.PollOnceAsync(rid, origin.PlaylistUri, Ct));
        Assert.Null(await store.GetManifestAsync(rid, null, Ct));
    }
}
