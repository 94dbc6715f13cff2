using Microsoft.Extensions.Time.Testing;
using Shoal.Core.Identity;
using Shoal.Node.Storage;

namespace Shoal.Node.Tests.Storage;

public sealed class DiskSegmentCacheTests
{
    private static readonly Rid Resource = Rid.ForUrl("http://origin.test/movie.mp4");

    private static byte[][] Pieces(SegmentLayout layout, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, layout.PieceCount).Select(i =>
        {
            var piece = new byte[layout.PieceLength(i)];
            random.NextBytes(piece);
            return piece;
        }).ToArray();
    }

    private static DiskSegmentCache Open(string dir, long capacity = 1 << 30, long? budget = null, TimeProvider? time = null) =>
        DiskSegmentCache.Open(new DiskCacheOptions { Directory = dir, CapacityBytes = capacity, WriteBudgetBytesPerHour = budget }, time ?? new FakeTimeProvider());

    [Fact]
    public void Pieces_written_are_read_back_after_reopening()
    {
        using var dir = new TempDirectory();
        var layout = new SegmentLayout(40_000, 16_384);
        var pieces = Pieces(layout, 1);
        var key = new SegmentKey(Resource, 5);
        var cache = Open(dir.Path);
        for (var i = 0; i < pieces.Length; i++)
        {
            Assert.Equal(DiskWriteResult.Written, cache.TryWrite(key, layout, i, pieces[i]));
        }

        Assert.Equal(DiskWriteResult.AlreadyPresent, cache.TryWrite(key, layout, 0, pieces[0]));
        cache.Flush();

        var reopened = Open(dir.Path);
        Assert.Equal(new DiskCacheOpenReport(1, 3, 0, 0), reopened.OpenReport);
        Assert.True(reopened.TryGetLayout(key, out var found, out var present));
        Assert.Equal(layout, found);
        Assert.Equal(3, present);
        for (var i = 0; i < pieces.Length; i++)
        {
            Assert.True(reopened.TryRead(key, i, out var piece));
            Assert.Equal(pieces[i], piece);
        }
    }

    [Fact]
    public void A_torn_tail_is_cut_off_on_open_and_the_whole_records_before_it_survive()
    {
        using var dir = new TempDirectory();
        var layout = new SegmentLayout(3 * 16_384, 16_384);
        var pieces = Pieces(layout, 2);
        var key = new SegmentKey(Resource, 0);
        var cache = Open(dir.Path);
        for (var i = 0; i < 3; i++)
        {
            cache.TryWrite(key, layout, i, pieces[i]);
        }

        // kill -9 in the middle of the third record: its tail never reached the file.
        var file = Directory.GetFiles(dir.Path, "*.seg").Single();
        var recordSize = new FileInfo(file).Length / 3;
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength((2 * recordSize) + 1000);
        }

        var reopened = Open(dir.Path);
        Assert.Equal(2, reopened.OpenReport.PiecesKept);
        Assert.Equal(1, reopened.OpenReport.RecordsDiscarded);
        Assert.Equal(2 * recordSize, new FileInfo(file).Length);
        Assert.False(reopened.TryRead(key, 2, out _));
        Assert.True(reopened.TryRead(key, 1, out var second));
        Assert.Equal(pieces[1], second);

        // Appending after the cut works and survives the next open.
        Assert.Equal(DiskWriteResult.Written, reopened.TryWrite(key, layout, 2, pieces[2]));
        Assert.Equal(3, Open(dir.Path).OpenReport.PiecesKept);
    }

    [Fact]
    public void A_record_whose_bytes_were_damaged_is_never_served()
    {
        using var dir = new TempDirectory();
        var layout = new SegmentLayout(2 * 16_384, 16_384);
        var pieces = Pieces(layout, 3);
        var key = new SegmentKey(Resource, 1);
        var cache = Open(dir.Path);
        cache.TryWrite(key, layout, 0, pieces[0]);
        cache.TryWrite(key, layout, 1, pieces[1]);
        var file = Directory.GetFiles(dir.Path, "*.seg").Single();

        // A power cut can leave stale or zeroed sectors inside a record, not just a short file.
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length - 5] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        Assert.False(cache.TryRead(key, 1, out _));
        Assert.Equal(1, cache.CorruptReads);
        Assert.True(cache.TryRead(key, 0, out var first));
        Assert.Equal(pieces[0], first);

        var reopened = Open(dir.Path);
        Assert.Equal(1, reopened.OpenReport.PiecesKept);
        Assert.False(reopened.TryRead(key, 1, out _));
    }

    [Fact]
    public void Garbage_files_and_zero_filled_files_are_discarded()
    {
        using var dir = new TempDirectory();
        var name = Resource.ToHex() + ".3.seg";
        File.WriteAllBytes(Path.Combine(dir.Path, name), new byte[5000]);
        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "not ours");
        var cache = Open(dir.Path);
        Assert.Equal(0, cache.SegmentCount);
        Assert.False(File.Exists(Path.Combine(dir.Path, name)));
        Assert.True(File.Exists(Path.Combine(dir.Path, "notes.txt")));
    }

    [Fact]
    public void The_least_recently_used_segment_is_evicted_to_stay_under_capacity()
    {
        using var dir = new TempDirectory();
        var layout = new SegmentLayout(10_000, 16_384);
        var piece = new byte[10_000];
        var recordSize = 10_000 + 56;
        var cache = Open(dir.Path, capacity: 3 * recordSize);
        for (var s = 0; s < 3; s++)
        {
            cache.TryWrite(new SegmentKey(Resource, s), layout, 0, piece);
        }

        Assert.True(cache.TryRead(new SegmentKey(Resource, 0), 0, out _)); // segment 0 is now the most recent
        cache.TryWrite(new SegmentKey(Resource, 3), layout, 0, piece);

        Assert.True(cache.SizeBytes <= 3 * recordSize);
        Assert.False(cache.Contains(new SegmentKey(Resource, 1), 0));
        Assert.True(cache.Contains(new SegmentKey(Resource, 0), 0));
        Assert.True(cache.Contains(new SegmentKey(Resource, 3), 0));
        Assert.Equal(3, Directory.GetFiles(dir.Path, "*.seg").Length);
    }

    [Fact]
    public void The_write_budget_spares_the_disk_and_refills_with_time()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider();
        var layout = new SegmentLayout(16_384 * 4, 16_384);
        var pieces = Pieces(layout, 4);
        var key = new SegmentKey(Resource, 0);
        var record = 16_384 + 56;
        var cache = Open(dir.Path, budget: 2 * record, time: time);

        Assert.Equal(DiskWriteResult.Written, cache.TryWrite(key, layout, 0, pieces[0]));
        Assert.Equal(DiskWriteResult.Written, cache.TryWrite(key, layout, 1, pieces[1]));
        Assert.Equal(DiskWriteResult.OverWriteBudget, cache.TryWrite(key, layout, 2, pieces[2]));
        Assert.Equal(2L * record, cache.BytesWritten);

        time.Advance(TimeSpan.FromMinutes(30)); // half an hour refills one record's worth
        Assert.Equal(DiskWriteResult.Written, cache.TryWrite(key, layout, 2, pieces[2]));
        Assert.Equal(DiskWriteResult.OverWriteBudget, cache.TryWrite(key, layout, 3, pieces[3]));
    }

    [Fact]
    public void A_full_disk_is_reported_and_the_cache_carries_on()
    {
        if (!File.Exists("/dev/full"))
        {
            Assert.Skip("/dev/full is not available on this system");
        }

        using var dir = new TempDirectory();
        var time = new FakeTimeProvider();
        var layout = new SegmentLayout(16_384, 16_384);
        var piece = new byte[16_384];
        var cache = Open(dir.Path, time: time);
        var full = new SegmentKey(Resource, 9);

        // The segment's file is /dev/full: every write fails with ENOSPC, as on a full disk.
        File.CreateSymbolicLink(Path.Combine(dir.Path, Resource.ToHex() + ".9.seg"), "/dev/full");
        Assert.Equal(DiskWriteResult.Failed, cache.TryWrite(full, layout, 0, piece));
        Assert.Equal(1, cache.WriteFailures);
        Assert.Equal(DiskWriteResult.DiskUnavailable, cache.TryWrite(new SegmentKey(Resource, 10), layout, 0, piece));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(DiskWriteResult.Written, cache.TryWrite(new SegmentKey(Resource, 10), layout, 0, piece));
        Assert.False(cache.Contains(full, 0));
    }
}
