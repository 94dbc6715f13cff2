using Shoal.Media.Publishing;

namespace Shoal.Media.Tests.Publishing;

public sealed class PublishArgumentsTests
{
    [Fact]
    public void Every_rendition_gets_the_same_gop_and_forced_keyframes_at_segment_boundaries()
    {
        var options = new PublishOptions { Input = "lavfi:testsrc2", OutputDirectory = "/out", Ladder = true, SegmentSeconds = 2, FrameRate = 25, Duration = TimeSpan.FromSeconds(6), Flv = true };
        var renditions = LadderRung.DefaultLadder.Select(r => (r, "/out/" + r.Name)).ToArray();
        var args = PublishArguments.Build(options, ["-f", "lavfi", "-i", "testsrc2"], renditions, restart: false);

        Assert.Equal(4, args.Count(a => a == "-force_key_frames")); // three HLS renditions and the FLV
        Assert.All(Indexes(args, "-force_key_frames"), i => Assert.Equal("expr:gte(t,n_forced*2)", args[i + 1]));
        Assert.All(Indexes(args, "-g"), i => Assert.Equal("50", args[i + 1]));
        Assert.All(Indexes(args, "-sc_threshold"), i => Assert.Equal("0", args[i + 1]));
        Assert.Equal(3, args.Count(a => a == "hls"));
        Assert.Contains("/out/live.flv", args);
        Assert.Equal(args.IndexOf("-t") + 2, args.IndexOf("-i")); // an input option, so every output stops
        Assert.Contains("/out/720p/index.m3u8", args);
        Assert.Contains("vod", args);
        Assert.DoesNotContain("-re", args);
    }

    [Fact]
    public void A_live_publish_reads_in_real_time_slides_its_window_and_continues_numbering_after_a_restart()
    {
        var options = new PublishOptions { Input = "lavfi:testsrc2", OutputDirectory = "/out", Live = true, Window = 4 };
        var renditions = new[] { (LadderRung.Source, "/out") };
        var first = PublishArguments.Build(options, ["-f", "lavfi", "-i", "testsrc2"], renditions, restart: false);
        var again = PublishArguments.Build(options, ["-f", "lavfi", "-i", "testsrc2"], renditions, restart: true);

        Assert.Contains("-re", first);
        Assert.Equal("4", first[first.IndexOf("-hls_list_size") + 1]);
        Assert.Contains("delete_segments", first[first.IndexOf("-hls_flags") + 1], StringComparison.Ordinal);
        Assert.DoesNotContain("append_list", first[first.IndexOf("-hls_flags") + 1], StringComparison.Ordinal);
        Assert.Contains("append_list", again[again.IndexOf("-hls_flags") + 1], StringComparison.Ordinal);
        Assert.DoesNotContain("vod", first);
    }

    private static IEnumerable<int> Indexes(List<string> args, string name) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == name).Select(p => p.i);
}
