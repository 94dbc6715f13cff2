using System.Text;
using CsCheck;
using Shoal.Media.Hls;

namespace Shoal.Media.Tests.Hls;

public sealed class HlsPlaylistParserTests
{
    private static readonly Uri Origin = new("http://origin.example/live/chan/index.m3u8?token=abc");

    [Fact]
    public void The_committed_sample_is_a_60_second_vod_playlist_of_2_second_segments()
    {
        var text = File.ReadAllText(RepositoryFiles.Samples("hls", "index.m3u8"));
        Assert.True(HlsPlaylistParser.TryParse(text, new Uri("http://127.0.0.1:8080/hls/index.m3u8"), null, out var playlist, out var error), error.ToString());
        var media = Assert.IsType<HlsMediaPlaylist>(playlist);
        Assert.Equal(30, media.Segments.Count);
        Assert.True(media.IsVod);
        Assert.True(media.EndList);
        Assert.Equal(2, media.TargetDuration);
        Assert.Equal(60.0, media.TotalDuration, 3);
        Assert.All(media.Segments, s => Assert.Equal(2.0, s.Duration, 3));
        Assert.Equal(new Uri("http://127.0.0.1:8080/hls/seg_029.ts"), media.SegmentUrl(29));
        foreach (var segment in media.Segments)
        {
            Assert.True(File.Exists(RepositoryFiles.Samples("hls", segment.Uri)), segment.Uri);
        }
    }

    [Fact]
    public void Relative_uris_resolve_against_the_playlist_url_as_RFC_3986_says()
    {
        const string text = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nseg1.ts\n#EXTINF:4,\n../other/seg2.ts\n#EXTINF:4,\n/root/seg3.ts\n#EXTINF:4,\nhttps://cdn2.example/seg4.ts?x=1\n";
        var media = ParseMedia(text, Origin);
        Assert.Equal("http://origin.example/live/chan/seg1.ts", media.SegmentUrl(0)!.AbsoluteUri);
        Assert.Equal("http://origin.example/live/other/seg2.ts", media.SegmentUrl(1)!.AbsoluteUri);
        Assert.Equal("http://origin.example/root/seg3.ts", media.SegmentUrl(2)!.AbsoluteUri);
        Assert.Equal("https://cdn2.example/seg4.ts?x=1", media.SegmentUrl(3)!.AbsoluteUri);
        Assert.False(media.IsVod);
    }

    [Fact]
    public void Live_playlist_fields_discontinuities_maps_and_byte_ranges_are_read()
    {
        const string text = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:6
            #EXT-X-MEDIA-SEQUENCE:1000
            #EXT-X-DISCONTINUITY-SEQUENCE:5
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init.mp4",BYTERANGE="720@0"
            #EXTINF:6.006,first
            #EXT-X-BYTERANGE:1000@720
            media.mp4
            #EXTINF:5.5,
            #EXT-X-BYTERANGE:2000
            media.mp4
            #EXT-X-DISCONTINUITY
            #EXT-X-KEY:METHOD=AES-128,URI="key.bin"
            #EXT-X-PROGRAM-DATE-TIME:2026-11-23T12:00:00Z
            #EXT-X-VENDOR-THING:42
            #EXTINF:6,
            next.mp4
            """;
        var media = ParseMedia(text, Origin);
        Assert.Equal(7, media.Version);
        Assert.Equal(1000, media.MediaSequence);
        Assert.Equal(1002, media.SequenceAt(2));
        Assert.Equal(5, media.DiscontinuitySequenceAt(1));
        Assert.Equal(6, media.DiscontinuitySequenceAt(2));
        Assert.Equal("first", media.Segments[0].Title);
        Assert.Equal("init.mp4", media.MapAt(2)!.Uri);
        Assert.Equal(new HlsByteRange(720, 0), media.MapAt(0)!.ByteRange);
        Assert.Equal(new HlsByteRange(2000, 1720), media.ByteRangeAt(1));
        Assert.Null(media.ByteRangeAt(2));
        Assert.Equal(["EXT-X-INDEPENDENT-SEGMENTS"], media.HeaderTags.Select(t => t.Name));
        Assert.Equal(["EXT-X-KEY", "EXT-X-PROGRAM-DATE-TIME", "EXT-X-VENDOR-THING"], media.Segments[2].Tags.Select(t => t.Name));
        Assert.True(media.Segments[2].Discontinuity);

        var rewritten = HlsPlaylistWriter.Write(media);
        Assert.Contains("#EXT-X-VENDOR-THING:42\n", rewritten, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:2026-11-23T12:00:00Z\n", rewritten, StringComparison.Ordinal);
        Assert.Equal(rewritten, HlsPlaylistWriter.Write(ParseMedia(rewritten, Origin)));
    }

    [Fact]
    public void Blank_lines_and_trailing_blanks_are_ignored()
    {
        var media = ParseMedia("#EXTM3U \r\n#EXT-X-TARGETDURATION:2\t\n   \n#EXTINF:2,\nseg.ts  \n\t\n#EXT-X-ENDLIST \n", Origin);
        Assert.Equal("seg.ts", Assert.Single(media.Segments).Uri);
        Assert.True(media.EndList);
        Assert.Empty(media.TrailingTags);
        Assert.Equal(HlsPlaylistWriter.Write(media), HlsPlaylistWriter.Write(ParseMedia(HlsPlaylistWriter.Write(media), Origin)));
    }

    [Fact]
    public void Master_playlist_variants_and_renditions_are_read_with_their_attributes()
    {
        const string text = """
            #EXTM3U
            #EXT-X-VERSION:4
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English, main",DEFAULT=YES,URI="audio/en.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970,AUDIO="aud"
            720p/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360
            http://other.example/360p.m3u8
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,URI="iframes.m3u8"
            """;
        Assert.True(HlsPlaylistParser.TryParse(text, Origin, null, out var playlist, out var error), error.ToString());
        var master = Assert.IsType<HlsMasterPlaylist>(playlist);
        Assert.Equal(2, master.Variants.Count);
        Assert.Equal(3_000_000, master.Variants[0].Bandwidth);
        Assert.Equal(2_800_000, master.Variants[0].AverageBandwidth);
        Assert.Equal((1280, 720), master.Variants[0].Resolution);
        Assert.Equal("avc1.64001f,mp4a.40.2", master.Variants[0].Codecs);
        Assert.Equal(29.97, master.Variants[0].FrameRate);
        Assert.Equal("aud", master.Variants[0].Audio);
        Assert.Equal("http://origin.example/live/chan/720p/index.m3u8", master.VariantUrl(0)!.AbsoluteUri);
        Assert.Equal("English, main", master.Renditions[0].Name);
        Assert.Equal("AUDIO", master.Renditions[0].Type);
        Assert.Equal(["EXT-X-I-FRAME-STREAM-INF"], master.TrailingTags.Select(t => t.Name));
    }

    [Fact]
    public void Rewriting_reaches_every_uri_of_a_media_playlist_and_reports_its_kind()
    {
        const string text = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.key\",IV=0x01\n#EXTINF:2,\na.m4s\n#EXT-X-PART:DURATION=1,URI=\"a.1.m4s\"\n#EXTINF:2,\nb.m4s\n";
        var media = ParseMedia(text, Origin);
        var seen = new List<HlsUriReference>();
        var rewritten = media.RewriteUris(r =>
        {
            seen.Add(r);
            return "http://127.0.0.1:9/o/" + Uri.EscapeDataString(r.Absolute!.AbsoluteUri);
        });
        Assert.Equal(
            [(HlsUriKind.Segment, "a.m4s"), (HlsUriKind.Map, "init.mp4"), (HlsUriKind.Key, "k.key"), (HlsUriKind.Segment, "b.m4s"), (HlsUriKind.Other, "a.1.m4s")],
            seen.Select(r => (r.Kind, r.Original)));
        var written = HlsPlaylistWriter.Write(rewritten);
        Assert.DoesNotContain("\na.m4s", written, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9/o/http%3A%2F%2Forigin.example%2Flive%2Fchan%2Fk.key", written, StringComparison.Ordinal);
        Assert.Contains("IV=0x01", written, StringComparison.Ordinal);
        var reparsed = ParseMedia(written, new Uri("http://127.0.0.1:9/o/x"));
        Assert.Equal("http://127.0.0.1:9/o/" + Uri.EscapeDataString("http://origin.example/live/chan/b.m4s"), reparsed.Segments[1].Uri);
        Assert.Equal(media.Segments.Select(s => s.Duration), reparsed.Segments.Select(s => s.Duration));
    }

    [Fact]
    public void Rewriting_a_master_playlist_reaches_variants_renditions_and_iframe_streams()
    {
        const string text = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"en.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"i.m3u8\"\n";
        Assert.True(HlsPlaylistParser.TryParse(text, Origin, null, out var playlist, out _));
        var master = ((HlsMasterPlaylist)playlist!).RewriteUris(r => "X-" + r.Original);
        var written = HlsPlaylistWriter.Write(master);
        Assert.Contains("URI=\"X-en.m3u8\"", written, StringComparison.Ordinal);
        Assert.Contains("\nX-v.m3u8\n", written, StringComparison.Ordinal);
        Assert.Contains("URI=\"X-i.m3u8\"", written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "does not start with #EXTM3U")]
    [InlineData("hello\n", "does not start with #EXTM3U")]
    [InlineData("#EXTM3U\n#EXTINF:2,\n", "no segment URI")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\nseg.ts\n", "without a preceding EXTINF")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:abc,\nseg.ts\n", "EXTINF duration")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:-1,\nseg.ts\n", "EXTINF duration")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:99999999999999999999\n", "MEDIA-SEQUENCE")]
    [InlineData("#EXTM3U\n#EXTINF:2,\nseg.ts\n", "missing EXT-X-TARGETDURATION")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-BYTERANGE:12@x\n", "BYTERANGE")]
    [InlineData("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"unterminated\n", "unterminated")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\nv.m3u8\n", "BANDWIDTH")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", "no URI after it")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n#EXTINF:2,\ns.ts\n", "mixes master tags")]
    [InlineData("#EXTM3U\n#EXT-X-VERSION:3\n", "neither a media playlist")]
    public void Broken_playlists_are_rejected_with_a_reason(string text, string reason)
    {
        Assert.False(HlsPlaylistParser.TryParse(text, Origin, null, out var playlist, out var error));
        Assert.Null(playlist);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_bound_the_work_a_hostile_playlist_can_cause()
    {
        var options = new HlsParserOptions { MaxEntries = 3, MaxLineLength = 100, MaxCharacters = 10_000 };
        var many = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n" + string.Concat(Enumerable.Repeat("#EXTINF:2,\ns.ts\n", 4));
        Assert.False(HlsPlaylistParser.TryParse(many, null, options, out _, out var e1));
        Assert.Contains("more than 3 segments", e1.Message, StringComparison.Ordinal);
        Assert.False(HlsPlaylistParser.TryParse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#X:" + new string('a', 200) + "\n", null, options, out _, out var e2));
        Assert.Contains("longer than 100", e2.Message, StringComparison.Ordinal);
        Assert.False(HlsPlaylistParser.TryParse(new string('#', 10_001), null, options, out _, out var e3));
        Assert.Contains("limit", e3.Message, StringComparison.Ordinal);
        Assert.False(HlsPlaylistParser.TryParse([0x23, 0x45, 0xff, 0xfe], null, options, out _, out var e4));
        Assert.Contains("UTF-8", e4.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_of_a_real_playlist_parses_or_fails_cleanly()
    {
        var text = File.ReadAllText(RepositoryFiles.Samples("hls", "index.m3u8"));
        for (var length = 0; length <= text.Length; length++)
        {
            if (HlsPlaylistParser.TryParse(text[..length], Origin, null, out var playlist, out var error))
            {
                Assert.IsType<HlsMediaPlaylist>(playlist);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error.Message));
            }
        }
    }

    [Fact]
    public void Random_bytes_and_mutated_playlists_never_throw()
    {
        var seed = Encoding.UTF8.GetBytes(File.ReadAllText(RepositoryFiles.Samples("hls", "index.m3u8"))[..600]);
        Gen.Byte.Array[0, 400].Sample(
            bytes => HlsPlaylistParser.TryParse(bytes, Origin, null, out var p, out var e) ? p is not null : e.Message.Length > 0,
            iter: 2000);
        Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Byte).Array[1, 8].Sample(edits =>
        {
            var copy = (byte[])seed.Clone();
            foreach (var (at, value) in edits)
            {
                copy[at] = value;
            }

            if (HlsPlaylistParser.TryParse(copy, Origin, null, out var playlist, out _))
            {
                _ = HlsPlaylistWriter.Write(playlist!);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Media_playlists_round_trip_through_the_writer()
    {
        HlsGenerators.MediaPlaylist.Sample(original =>
        {
            var text = HlsPlaylistWriter.Write(original);
            Assert.True(HlsPlaylistParser.TryParse(text, original.Url, null, out var parsed, out var error), error + "\n" + text);
            var media = Assert.IsType<HlsMediaPlaylist>(parsed);
            Assert.Equal(original.Version, media.Version);
            Assert.Equal(original.TargetDuration, media.TargetDuration);
            Assert.Equal(original.MediaSequence, media.MediaSequence);
            Assert.Equal(original.DiscontinuitySequence, media.DiscontinuitySequence);
            Assert.Equal(original.PlaylistType, media.PlaylistType);
            Assert.Equal(original.EndList, media.EndList);
            Assert.Equal(original.Segments.Count, media.Segments.Count);
            for (var i = 0; i < media.Segments.Count; i++)
            {
                var (a, b) = (original.Segments[i], media.Segments[i]);
                Assert.Equal(a.Uri, b.Uri);
                Assert.Equal(a.Duration, b.Duration);
                Assert.Equal(a.Title, b.Title);
                Assert.Equal(a.ByteRange, b.ByteRange);
                Assert.Equal(a.Discontinuity, b.Discontinuity);
                Assert.Equal(a.Map?.Uri, b.Map?.Uri);
                Assert.Equal(original.SegmentUrl(i), media.SegmentUrl(i));
            }

            var allTags = original.HeaderTags.Concat(original.Segments.SelectMany(s => s.Tags)).Concat(original.TrailingTags).Select(t => t.ToString());
            Assert.Equal(allTags, media.HeaderTags.Concat(media.Segments.SelectMany(s => s.Tags)).Concat(media.TrailingTags).Select(t => t.ToString()));
            Assert.Equal(text, HlsPlaylistWriter.Write(media));
        }, iter: 300);
    }

    [Fact]
    public void Master_playlists_round_trip_through_the_writer()
    {
        HlsGenerators.MasterPlaylist.Sample(original =>
        {
            var text = HlsPlaylistWriter.Write(original);
            Assert.True(HlsPlaylistParser.TryParse(text, original.Url, null, out var parsed, out var error), error + "\n" + text);
            var master = Assert.IsType<HlsMasterPlaylist>(parsed);
            Assert.Equal(original.Variants.Select(v => (v.Uri, v.Attributes.ToString())), master.Variants.Select(v => (v.Uri, v.Attributes.ToString())));
            Assert.Equal(original.Renditions.Select(r => r.Attributes.ToString()), master.Renditions.Select(r => r.Attributes.ToString()));
            Assert.Equal(original.Variants.Select(v => v.Bandwidth), master.Variants.Select(v => v.Bandwidth));
            Assert.Equal(text, HlsPlaylistWriter.Write(master));
        }, iter: 300);
    }

    private static HlsMediaPlaylist ParseMedia(string text, Uri url)
    {
        Assert.True(HlsPlaylistParser.TryParse(text, url, null, out var playlist, out var error), error.ToString());
        return Assert.IsType<HlsMediaPlaylist>(playlist);
    }
}
