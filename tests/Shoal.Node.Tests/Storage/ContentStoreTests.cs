using Microsoft.Extensions.Time.Testing;
using Shoal.Core.Identity;
using Shoal.Node.Storage;

namespace Shoal.Node.Tests.Storage;

public sealed class ContentStoreTests
{
    private static readonly Rid Resource = Rid.ForUrl("http://origin.test/file.bin");

    [Fact]
    public async Task Persisted_pieces_reach_the_disk_by_flush_and_live_pieces_never_do()
    {
        using var dir = new TempDirectory();
        var layout = new SegmentLayout(20_000, 16_384);
        var vod = new SegmentKey(Resource, 0);
        var live = new SegmentKey(Resource, 1);
        var store = new ContentStore(new ContentStoreOptions { Disk = new DiskCacheOptions { Directory = dir.Path } }, new FakeTimeProvider());
        store.Put(vod, layout, 0, new byte[16_384], persist: true);
        store.Put(vod, layout, 1, new byte[3_616], persist: true);
        store.Put(live, layout, 0, new byte[16_384], persist: false);
        Assert.True(store.IsComplete(vod, out var found));
        Assert.Equal(layout, found);
        Assert.False(store.IsComplete(live, out _));
        await store.FlushAsync(TestContext.Current.CancellationToken);
        await store.DisposeAsync();

        var reopened = DiskSegmentCache.Open(new DiskCacheOptions { Directory = dir.Path }, new FakeTimeProvider());
        Assert.Equal(2, reopened.OpenReport.PiecesKept);
        Assert.False(reopened.TryGetLayout(live, out _, out _));
    }

    [Fact]
    public void Memory_stays_within_its_bound_by_evicting_the_least_recently_used_segment()
    {
        var memory = new MemorySegmentStore(capacityBytes: 2 * 16_384);
        var layout = new SegmentLayout(16_384, 16_384);
        memory.Put(new SegmentKey(Resource, 0), layout, 0, new byte[16_384]);
        memory.Put(new SegmentKey(Resource, 1), layout, 0, new byte[16_384]);
        Assert.True(memory.TryGet(new SegmentKey(Resource, 0), 0, out _));
        memory.Put(new SegmentKey(Resource, 2), layout, 0, new byte[16_384]);

        Assert.Equal(2 * 16_384, memory.SizeBytes);
        Assert.False(memory.TryGet(new SegmentKey(Resource, 1), 0, out _));
        Assert.True(memory.TryGet(new SegmentKey(Resource, 0), 0, out _));
        Assert.Throws<ArgumentException>(() => memory.Put(new SegmentKey(Resource, 3), layout, 0, new byte[5]));
    }
}
