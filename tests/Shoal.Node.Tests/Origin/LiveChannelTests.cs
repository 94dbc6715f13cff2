using Microsoft.Extensions.Time.Testing;
using Shoal.Node.Origin;

namespace Shoal.Node.Tests.Origin;

public sealed class LiveChannelTests
{
    private static LiveChannel Channel(FakeTimeProvider time, int segments = 4, int window = 3) =>
        new(Enumerable.Range(0, segments).Select(i => new LiveSourceSegment($"/media/s{i}.ts", 2.0)).ToList(),
            new LiveChannelOptions { WindowSegments = window }, time);

    private static List<string> Uris(string playlist) =>
        playlist.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    [Fact]
    public void A_new_channel_already_lists_a_full_window()
    {
        var channel = Channel(new FakeTimeProvider());
        var playlist = channel.RenderPlaylist();

        Assert.Contains("#EXT-X-MEDIA-SEQUENCE:0\n", playlist, StringComparison.Ordinal);
        Assert.Equal(["seg-0.ts", "seg-1.ts", "seg-2.ts"], Uris(playlist));
        Assert.DoesNotContain("#EXT-X-ENDLIST", playlist, StringComparison.Ordinal);
    }

    [Fact]
    public void The_media_sequence_advances_with_the_clock_one_segment_per_segment_duration()
    {
        var time = new FakeTimeProvider();
        var channel = Channel(time);
        time.Advance(TimeSpan.FromSeconds(1.999));
        Assert.Equal(2, channel.LatestSequence);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, channel.LatestSequence);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(13, channel.LatestSequence);
        Assert.Contains("#EXT-X-MEDIA-SEQUENCE:11\n", channel.RenderPlaylist(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_loop_is_marked_with_a_discontinuity_and_URIs_stay_unique_per_sequence()
    {
        var time = new FakeTimeProvider();
        var channel = Channel(time, segments: 4, window: 3);
        time.Advance(TimeSpan.FromSeconds(4)); // window 2..4: sequence 4 is the first of the second loop.
        var playlist = channel.RenderPlaylist();

        Assert.Equal(["seg-2.ts", "seg-3.ts", "seg-4.ts"], Uris(playlist));
        var lines = playlist.Split('\n');
        var discontinuity = Array.IndexOf(lines, "#EXT-X-DISCONTINUITY");
        Assert.True(discontinuity > 0);
        Assert.Equal("seg-4.ts", lines[discontinuity + 2]);
        Assert.Contains("#EXT-X-DISCONTINUITY-SEQUENCE:0\n", playlist, StringComparison.Ordinal);

        Assert.True(channel.TryResolveSegment(4, out var file));
        Assert.Equal("/media/s0.ts", file);

        // Once the wrap has left the window, the discontinuity sequence counts it (RFC 8216 §4.3.3.3).
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n", channel.RenderPlaylist(), StringComparison.Ordinal);
    }

    [Fact]
    public void Segments_not_yet_aired_or_long_gone_are_refused()
    {
        var time = new FakeTimeProvider();
        var channel = new LiveChannel([new LiveSourceSegment("/a.ts", 1.0)], new LiveChannelOptions { WindowSegments = 2, RetainedSegmentsBehindWindow = 1 }, time);
        Assert.False(channel.TryResolveSegment(2, out _));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(channel.TryResolveSegment(11, out _));
        Assert.True(channel.TryResolveSegment(9, out _));
        Assert.False(channel.TryResolveSegment(8, out _));
        Assert.False(channel.TryResolveSegment(12, out _));
    }

    [Fact]
    public void A_folder_is_read_from_its_media_playlist_with_durations()
    {
        using var dir = new TempDirectory();
        TestMedia.WriteHlsFolder(dir.Path, 3, 2.5, 100, seed: 1);
        Assert.True(LiveChannel.TryLoadFolder(dir.Path, new LiveChannelOptions(), out var segments, out var error), error);
        Assert.Equal(3, segments.Count);
        Assert.All(segments, s => Assert.Equal(2.5, s.DurationSeconds));
        Assert.EndsWith("seg000.ts", segments[0].FilePath, StringComparison.Ordinal);

        Assert.False(LiveChannel.TryLoadFolder(dir.File("missing"), new LiveChannelOptions(), out _, out error));
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }
}
