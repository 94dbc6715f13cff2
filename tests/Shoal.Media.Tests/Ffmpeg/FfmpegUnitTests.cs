using Shoal.Media.Ffmpeg;

namespace Shoal.Media.Tests.Ffmpeg;

public sealed class FfmpegUnitTests
{
    [Fact]
    public void Progress_blocks_become_reports_and_junk_is_ignored()
    {
        var parser = new FfmpegProgressParser();
        string[] lines = ["frame=90", "fps=29.5", "bitrate=N/A", "out_time_us=3000000", "garbage", "=x", "speed=1.02x", "progress=continue", "frame=180", "out_time_us=N/A", "speed=N/A", "progress=end"];
        var reports = new List<FfmpegProgress>();
        foreach (var line in lines)
        {
            if (parser.TryFeed(line, out var p))
            {
                reports.Add(p);
            }
        }

        Assert.Equal(2, reports.Count);
        Assert.Equal(new FfmpegProgress(90, 29.5, TimeSpan.FromSeconds(3), 1.02, false), reports[0]);
        Assert.Equal(180, reports[1].Frame);
        Assert.Equal(TimeSpan.FromSeconds(3), reports[1].OutTime);
        Assert.Null(reports[1].Speed);
        Assert.True(reports[1].Ended);
    }

    [Theory]
    [InlineData("lavfi:testsrc2=size=320x180", "-f|lavfi|-i|testsrc2=size=320x180")]
    [InlineData("movie.mp4", "-i|movie.mp4")]
    [InlineData("srt://0.0.0.0:9000?mode=listener", "-i|srt://0.0.0.0:9000?mode=listener")]
    [InlineData("-f lavfi -i \"testsrc2=size=320x180:rate=30\" -f lavfi -i 'sine=f=440'", "-f|lavfi|-i|testsrc2=size=320x180:rate=30|-f|lavfi|-i|sine=f=440")]
    public void Inputs_become_ffmpeg_input_arguments(string input, string expected)
    {
        Assert.True(FfmpegInput.TryParse(input, out var arguments, out var error), error);
        Assert.Equal(expected.Split('|'), arguments);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("lavfi:", "filter graph")]
    [InlineData("-f lavfi testsrc2", "must contain -i")]
    [InlineData("-f lavfi -i \"testsrc2", "unterminated quote")]
    public void Bad_inputs_are_refused_with_a_reason(string input, string reason)
    {
        Assert.False(FfmpegInput.TryParse(input, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_without_ffmpeg_is_told_how_to_install_it()
    {
        var empty = Directory.CreateTempSubdirectory("shoal-nopath-");
        try
        {
            Assert.False(FfmpegTools.TryLocate(empty.FullName, null, null, out _, out var error));
            Assert.Contains("apt-get install ffmpeg", error, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(true);
        }
    }

    [Fact]
    public void The_specific_error_line_is_preferred_over_ffmpegs_generic_last_words()
    {
        Assert.Equal("nope.mp4: No such file or directory", FfmpegProcess.PickErrorLine(["something", "nope.mp4: No such file or directory", "Conversion failed!"]));
        Assert.Equal("exited with an error but printed nothing", FfmpegProcess.PickErrorLine([]));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal("killed by signal 9", FfmpegProcess.PickErrorLine([], 137));
        }
    }

    [Fact]
    public async Task A_missing_executable_is_reported_not_thrown()
    {
        var result = await FfmpegProcess.RunAsync("/nonexistent/ffmpeg", ["-version"], null, TestContext.Current.CancellationToken);
        Assert.False(result.Succeeded);
        Assert.Contains("could not be started", result.ErrorLine, StringComparison.Ordinal);
    }
}
