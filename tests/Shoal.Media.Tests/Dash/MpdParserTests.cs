using System.Text;
using CsCheck;
using Shoal.Media.Dash;

namespace Shoal.Media.Tests.Dash;

public sealed class MpdParserTests
{
    private static readonly Uri MpdUrl = new("http://origin.example/vod/movie/manifest.mpd");

    private const string NumberTemplate = """
        <?xml version="1.0" encoding="UTF-8"?>
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT9S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-live:2011">
          <BaseURL>media/</BaseURL>
          <Period id="p0">
            <AdaptationSet id="1" contentType="video" mimeType="video/mp4" codecs="avc1.64001f">
              <SegmentTemplate timescale="1000" duration="2000" startNumber="1" media="$RepresentationID$/seg-$Number%05d$.m4s" initialization="$RepresentationID$/init.mp4"/>
              <Representation id="720p" bandwidth="3000000" width="1280" height="720"/>
              <Representation id="360p" bandwidth="800000" width="640" height="360">
                <BaseURL>http://cdn2.example/other/</BaseURL>
              </Representation>
            </AdaptationSet>
            <AdaptationSet id="2" contentType="audio" mimeType="audio/mp4">
              <Representation id="aac" bandwidth="128000">
                <SegmentTemplate timescale="48000" duration="96000" startNumber="0" media="audio/$Bandwidth$/$Number$.m4s"/>
              </Representation>
            </AdaptationSet>
          </Period>
        </MPD>
        """;

    private const string Timeline = """
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" availabilityStartTime="2026-11-23T12:00:00Z" minimumUpdatePeriod="PT2S">
          <Location>manifest.mpd?live=1</Location>
          <Period id="live" start="PT0S">
            <AdaptationSet mimeType="video/mp4">
              <SegmentTemplate timescale="90000" media="v/$RepresentationID$-$Time$.m4s" initialization="v/$RepresentationID$-init.mp4" presentationTimeOffset="900000">
                <SegmentTimeline>
                  <S t="900000" d="180000" r="2"/>
                  <S d="90000"/>
                  <S t="1800000" d="180000" r="-1"/>
                  <S t="2160000" d="180000"/>
                </SegmentTimeline>
              </SegmentTemplate>
              <Representation id="v1" bandwidth="500000"/>
            </AdaptationSet>
          </Period>
        </MPD>
        """;

    private const string ListAndBase = """
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S">
          <Period duration="PT6S">
            <AdaptationSet mimeType="video/mp4">
              <Representation id="list" bandwidth="1000">
                <BaseURL>list/</BaseURL>
                <SegmentList timescale="10" duration="20">
                  <Initialization sourceURL="init.mp4"/>
                  <SegmentURL media="a.m4s"/>
                  <SegmentURL media="b.m4s"/>
                  <SegmentURL mediaRange="100-199"/>
                </SegmentList>
              </Representation>
              <Representation id="single" bandwidth="2000">
                <BaseURL>single/movie.mp4</BaseURL>
                <SegmentBase indexRange="800-1999"><Initialization range="0-799"/></SegmentBase>
              </Representation>
            </AdaptationSet>
          </Period>
        </MPD>
        """;

    [Fact]
    public void SegmentTemplate_with_Number_lists_every_segment_of_a_static_period()
    {
        var mpd = Parse(NumberTemplate);
        var reps = mpd.Representations.ToArray();
        Assert.Equal(["720p", "360p", "aac"], reps.Select(r => r.Id));
        var hd = reps[0];
        Assert.Equal(5, hd.Segments.Count); // ceil(9 s / 2 s)
        Assert.Equal("http://origin.example/vod/movie/media/720p/seg-00001.m4s", hd.Segments[0].Url.AbsoluteUri);
        Assert.Equal("http://origin.example/vod/movie/media/720p/seg-00005.m4s", hd.Segments[4].Url.AbsoluteUri);
        Assert.Equal("http://origin.example/vod/movie/media/720p/init.mp4", hd.InitializationUrl!.AbsoluteUri);
        Assert.Equal(2.0, hd.Segments[0].Duration);
        Assert.Equal((1280, 720), (hd.Width, hd.Height));
        Assert.Equal("video/mp4", hd.MimeType);
        Assert.Equal("avc1.64001f", hd.Codecs);
        Assert.Equal("http://cdn2.example/other/360p/seg-00002.m4s", reps[1].Segments[1].Url.AbsoluteUri);
        Assert.Equal("http://origin.example/vod/movie/media/audio/128000/0.m4s", reps[2].Segments[0].Url.AbsoluteUri);
        Assert.Equal(5, reps[2].Segments.Count);
        Assert.Equal("video", mpd.Periods[0].AdaptationSets[0].ContentType);
    }

    [Fact]
    public void SegmentTimeline_gives_Time_with_repeats_and_open_ended_repeats()
    {
        var mpd = Parse(Timeline);
        Assert.True(mpd.IsDynamic);
        Assert.Equal(TimeSpan.FromSeconds(2), mpd.MinimumUpdatePeriod);
        var rep = Assert.Single(mpd.Representations);
        // r=2 gives three segments, the next S continues from their end, r=-1 repeats up to the next S@t.
        long[] times = [900000, 1080000, 1260000, 1440000, 1800000, 1980000, 2160000];
        Assert.Equal(times, rep.Segments.Select(s => s.Time!.Value));
        Assert.Equal("http://origin.example/vod/movie/v/v1-1440000.m4s", rep.Segments[3].Url.AbsoluteUri);
        Assert.Equal(1.0, rep.Segments[3].Duration);
        Assert.Equal(2.0, rep.Segments[4].Duration);
        Assert.Equal(Enumerable.Range(1, times.Length).Select(i => (long)i), rep.Segments.Select(s => s.Number));
        Assert.Equal("http://origin.example/vod/movie/v/v1-init.mp4", rep.InitializationUrl!.AbsoluteUri);
    }

    [Fact]
    public void SegmentList_and_SegmentBase_give_urls_and_byte_ranges()
    {
        var reps = Parse(ListAndBase).Representations.ToArray();
        Assert.Equal(
            ["http://origin.example/vod/movie/list/a.m4s", "http://origin.example/vod/movie/list/b.m4s", "http://origin.example/vod/movie/list/"],
            reps[0].Segments.Select(s => s.Url.AbsoluteUri));
        Assert.Equal([null, null, "100-199"], reps[0].Segments.Select(s => s.ByteRange));
        Assert.Equal(2.0, reps[0].Segments[1].Duration);
        Assert.Equal("http://origin.example/vod/movie/list/init.mp4", reps[0].InitializationUrl!.AbsoluteUri);
        var single = Assert.Single(reps[1].Segments);
        Assert.Equal("http://origin.example/vod/movie/single/movie.mp4", single.Url.AbsoluteUri);
        Assert.Equal("0-799", reps[1].InitializationRange);
    }

    [Fact]
    public void A_dynamic_template_without_timeline_lists_the_segments_available_now()
    {
        const string xml = """
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" availabilityStartTime="2026-11-23T12:00:00Z" timeShiftBufferDepth="PT10S">
              <Period start="PT0S"><AdaptationSet>
                <Representation id="r" bandwidth="1"><SegmentTemplate duration="2" media="s$Number$.m4s" startNumber="1"/></Representation>
              </AdaptationSet></Period>
            </MPD>
            """;
        Assert.False(MpdParser.TryParse(xml, MpdUrl, null, out _, out var error));
        Assert.Contains("current time", error.Message, StringComparison.Ordinal);
        var options = new MpdParserOptions { Now = new DateTimeOffset(2026, 11, 23, 12, 1, 0, TimeSpan.Zero).AddSeconds(1) };
        Assert.True(MpdParser.TryParse(xml, MpdUrl, options, out var mpd, out error), error.ToString());
        var rep = Assert.Single(mpd!.Representations);

        // 61 s after the start: segments 0..29 are complete (numbers 1..30); a 10 s buffer keeps the last 5.
        Assert.Equal([26L, 27, 28, 29, 30], rep.Segments.Select(s => s.Number));
    }

    [Theory]
    [InlineData("", "XML")]
    [InlineData("<html/>", "not <MPD>")]
    [InlineData("<MPD><Period><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Nmbr$\" duration=\"1\"/></Representation></AdaptationSet></Period></MPD>", "unknown identifier")]
    [InlineData("<MPD mediaPresentationDuration=\"PT10S\"><Period><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Number\" duration=\"1\"/></Representation></AdaptationSet></Period></MPD>", "unterminated")]
    [InlineData("<MPD><Period><AdaptationSet><Representation><SegmentBase/></Representation></AdaptationSet></Period></MPD>", "no @id")]
    [InlineData("<MPD mediaPresentationDuration=\"10 seconds\"/>", "xs:duration")]
    [InlineData("<MPD><Period><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Number$\" duration=\"1\"/></Representation></AdaptationSet></Period></MPD>", "cannot tell how many")]
    [InlineData("<MPD><Period duration=\"PT1S\"><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Number$\" timescale=\"0\" duration=\"1\"/></Representation></AdaptationSet></Period></MPD>", "timescale")]
    [InlineData("<MPD><Period duration=\"PT1S\"><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Time$\"><SegmentTimeline><S t=\"0\"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period></MPD>", "without @d")]
    [InlineData("<MPD><Period><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Time$\"><SegmentTimeline><S t=\"0\" d=\"1\" r=\"99999999999\"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period></MPD>", "more than")]
    [InlineData("<MPD><Period><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Time$\"><SegmentTimeline><S t=\"0\" d=\"9223372036854775807\" r=\"5\"/></SegmentTimeline></SegmentTemplate></Representation></AdaptationSet></Period></MPD>", "out of range")]
    [InlineData("<MPD mediaPresentationDuration=\"P99999999Y\"><Period><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Number$\" duration=\"1\"/></Representation></AdaptationSet></Period></MPD>", "xs:duration")]
    public void Broken_or_hostile_mpds_are_rejected_with_a_reason(string xml, string reason)
    {
        Assert.False(MpdParser.TryParse(xml, MpdUrl, null, out var mpd, out var error));
        Assert.Null(mpd);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entity_expansion_and_external_entities_are_refused()
    {
        const string laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <MPD>&lol2;</MPD>
            """;
        Assert.False(MpdParser.TryParse(laughs, MpdUrl, null, out _, out var error));
        Assert.Contains("XML", error.Message, StringComparison.Ordinal);
        const string external = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><MPD>&e;</MPD>""";
        Assert.False(MpdParser.TryParse(external, MpdUrl, null, out _, out _));
    }

    [Fact]
    public void Every_truncation_and_random_mutation_of_an_mpd_parses_or_fails_cleanly()
    {
        foreach (var xml in new[] { NumberTemplate, Timeline, ListAndBase })
        {
            for (var length = 0; length <= xml.Length; length += 3)
            {
                var ok = MpdParser.TryParse(xml[..length], MpdUrl, null, out var mpd, out var error);
                Assert.True(ok ? mpd is not null : error.Message.Length > 0);
            }
        }

        var bytes = Encoding.UTF8.GetBytes(Timeline);
        Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Char["0123456789-$<>\"/=SdrtPTH "]).Array[1, 6].Sample(edits =>
        {
            var chars = Timeline.ToCharArray();
            foreach (var (at, c) in edits)
            {
                chars[at] = c;
            }

            var text = new string(chars);
            var options = new MpdParserOptions { Now = DateTimeOffset.UnixEpoch.AddYears(57), MaxSegmentsPerRepresentation = 10_000 };
            if (MpdParser.TryParse(text, MpdUrl, options, out var mpd, out var error))
            {
                Assert.All(mpd!.Representations, r => Assert.True(r.Segments.Count <= 10_000));
            }
            else
            {
                Assert.NotEmpty(error.Message);
            }

            _ = MpdRewriter.TryRewrite(text, MpdUrl, r => r.Absolute, options, out _, out _);
        }, iter: 3000);
    }

    [Fact]
    public void Templates_expand_with_widths_and_keep_identifiers_when_literals_are_mapped()
    {
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Int[0, 12], Gen.String[Gen.Char["ab/:.?%"], 0, 10]).Sample((number, width, literal) =>
        {
            var text = literal + "$Number%0" + width.ToString(System.Globalization.CultureInfo.InvariantCulture) + "d$-$$-$RepresentationID$";
            Assert.True(DashTemplate.TryParse(text, out var template, out var error), error);
            var expected = literal + number.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0') + "-$-rep";
            Assert.Equal(expected, template.Expand("rep", number, 0, 0));
            Assert.Equal(text, template.MapLiterals(s => s));
            Assert.Equal(text, template.ToString());
            var encoded = template.MapLiterals(Uri.EscapeDataString);
            Assert.Contains("$Number%0", encoded, StringComparison.Ordinal);
        });
    }

    private static MpdDocument Parse(string xml)
    {
        Assert.True(MpdParser.TryParse(xml, MpdUrl, null, out var mpd, out var error), error.ToString());
        return mpd!;
    }

    internal static string NumberTemplateXml => NumberTemplate;

    internal static string TimelineXml => Timeline;

    internal static string ListAndBaseXml => ListAndBase;
}
