using Shoal.Media.Dash;

namespace Shoal.Media.Tests.Dash;

public sealed class MpdRewriterTests
{
    private static readonly Uri MpdUrl = new("http://origin.example/vod/movie/manifest.mpd");
    private static readonly Uri GatewayMpdUrl = new("http://127.0.0.1:7000/o/" + Uri.EscapeDataString(MpdUrl.AbsoluteUri));

    /// <summary>The gateway form from SEAMS.md: http://GATEWAY/o/&lt;percent-encoded origin URL&gt;, templates encoded around their identifiers.</summary>
    private static string ToGateway(MpdUriReference reference) => reference.Kind switch
    {
        MpdUriKind.MediaTemplate or MpdUriKind.InitializationTemplate or MpdUriKind.IndexTemplate =>
            "http://127.0.0.1:7000/o/" + (DashTemplate.TryParse(reference.Absolute, out var t, out _) ? t.MapLiterals(Uri.EscapeDataString) : throw new InvalidOperationException()),
        _ => "http://127.0.0.1:7000/o/" + Uri.EscapeDataString(reference.Absolute),
    };

    [Theory]
    [InlineData("number")]
    [InlineData("timeline")]
    [InlineData("list")]
    public void Every_segment_url_of_the_rewritten_mpd_is_the_gateway_form_of_the_original(string which)
    {
        var xml = which switch
        {
            "number" => MpdParserTests.NumberTemplateXml,
            "timeline" => MpdParserTests.TimelineXml,
            _ => MpdParserTests.ListAndBaseXml,
        };
        Assert.True(MpdParser.TryParse(xml, MpdUrl, null, out var original, out var error), error.ToString());
        Assert.True(MpdRewriter.TryRewrite(xml, MpdUrl, ToGateway, null, out var rewritten, out error), error.ToString());

        // Served from the gateway's own URL, the rewritten MPD must still point at the same origin bytes.
        Assert.True(MpdParser.TryParse(rewritten, GatewayMpdUrl, null, out var served, out error), error + "\n" + rewritten);
        Assert.DoesNotContain("<BaseURL>media/", rewritten, StringComparison.Ordinal);
        var before = original!.Representations.ToArray();
        var after = served!.Representations.ToArray();
        Assert.Equal(before.Length, after.Length);
        for (var r = 0; r < before.Length; r++)
        {
            Assert.Equal(before[r].Segments.Count, after[r].Segments.Count);
            for (var s = 0; s < before[r].Segments.Count; s++)
            {
                Assert.Equal(
                    "http://127.0.0.1:7000/o/" + Uri.EscapeDataString(before[r].Segments[s].Url.AbsoluteUri),
                    after[r].Segments[s].Url.AbsoluteUri);
                Assert.Equal(before[r].Segments[s].ByteRange, after[r].Segments[s].ByteRange);
                Assert.Equal(before[r].Segments[s].Time, after[r].Segments[s].Time);
            }

            if (before[r].InitializationUrl is { } init)
            {
                Assert.Equal("http://127.0.0.1:7000/o/" + Uri.EscapeDataString(init.AbsoluteUri), after[r].InitializationUrl!.AbsoluteUri);
            }
        }
    }

    [Fact]
    public void Location_and_SegmentBase_urls_are_rewritten_too()
    {
        Assert.True(MpdRewriter.TryRewrite(MpdParserTests.TimelineXml, MpdUrl, ToGateway, null, out var rewritten, out _));
        Assert.Contains("<Location>http://127.0.0.1:7000/o/" + Uri.EscapeDataString("http://origin.example/vod/movie/manifest.mpd?live=1") + "</Location>", rewritten, StringComparison.Ordinal);
        Assert.True(MpdRewriter.TryRewrite(MpdParserTests.ListAndBaseXml, MpdUrl, ToGateway, null, out rewritten, out _));
        Assert.True(MpdParser.TryParse(rewritten, GatewayMpdUrl, null, out var served, out _));
        var single = served!.Representations.Single(r => r.Id == "single");
        Assert.Equal("http://127.0.0.1:7000/o/" + Uri.EscapeDataString("http://origin.example/vod/movie/single/movie.mp4"), single.Segments[0].Url.AbsoluteUri);
    }

    [Fact]
    public void A_broken_mpd_is_not_rewritten()
    {
        Assert.False(MpdRewriter.TryRewrite("<MPD><Period><AdaptationSet><Representation id=\"x\"><SegmentTemplate media=\"$Bad$\"/></Representation></AdaptationSet></Period></MPD>", MpdUrl, ToGateway, null, out var result, out var error));
        Assert.Equal("", result);
        Assert.Contains("unknown identifier", error.Message, StringComparison.Ordinal);
    }
}
