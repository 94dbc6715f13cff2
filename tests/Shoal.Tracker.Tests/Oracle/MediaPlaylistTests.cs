using Shoal.Tracker.Oracle;

namespace Shoal.Tracker.Tests.Oracle;

public sealed class MediaPlaylistTests
{
    private static readonly Uri Base = new("https://cdn.example/live/index.m3u8");

    [Fact]
    public void Reads_sequence_numbers_resolved_uris_durations_and_the_end()
    {
        const string text = "#EXTM3U\n#EXT-X-TARGETDURATION:6\r\n#EXT-X-MEDIA-SEQUENCE:41\n#EXTINF:5.5,\na.ts\n#EXTINF:6,title\r\n/abs/b.ts\nhttps://other.example/c.ts\n#EXT-X-ENDLIST\n";
        Assert.True(MediaPlaylist.TryParse(text, Base, out var playlist, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(6), playlist.TargetDuration);
        Assert.True(playlist.Ended);
        Assert.Equal(
            [
                new PlaylistSegment(41, new Uri("https://cdn.example/live/a.ts"), TimeSpan.FromSeconds(5.5)),
                new PlaylistSegment(42, new Uri("https://cdn.example/abs/b.ts"), TimeSpan.FromSeconds(6)),
                new PlaylistSegment(43, new Uri("https://other.example/c.ts"), null),
            ],
            playlist.Segments);
    }

    [Theory]
    [InlineData("not a playlist", "#EXTM3U")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow.m3u8\n", "master playlist")]
    [InlineData("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:x\n", "MEDIA-SEQUENCE")]
    [InlineData("#EXTM3U\n#EXTINF:2,\n#EXT-X-BYTERANGE:100@0\na.ts\n", "Byte-range")]
    [InlineData("#EXTM3U\n#EXTINF:2,\nfile:///etc/passwd\n", "not an http")]
    public void Refuses_what_it_cannot_follow_with_a_reason(string text, string reason)
    {
        Assert.False(MediaPlaylist.TryParse(text, Base, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
