using Shoal.Core.Manifests;
using Shoal.Media.Publishing;
using Shoal.Media.Verification;

namespace Shoal.Media.Tests.Publishing;

public sealed class FileSourceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("shoal-file-");

    public void Dispose() => _dir.Delete(true);

    [Fact]
    public async Task A_published_file_matches_its_source_and_a_cut_short_one_does_not()
    {
        FfmpegRequirement.SkipIfMissing();
        using var key = SigningKeyPair.Generate();
        var source = RepositoryFiles.Samples("vod.mp4");
        var options = new PublishOptions
        {
            Input = source,
            OutputDirectory = Path.Combine(_dir.FullName, "whole"),
            Preset = "ultrafast",
            SingleRung = new LadderRung("small", 320, 180, 400, 48),
        };
        var tools = FfmpegRequirement.Require();
        var whole = await new HlsPublisher(options, key, tools, TimeProvider.System).RunAsync(null, TestContext.Current.CancellationToken);
        Assert.True(whole.Succeeded, whole.Error);
        Assert.Equal(5, whole.SegmentsSigned);

        var verifier = new MediaVerifier(tools);
        var verify = new VerifyOptions { Samples = 2, Source = source };
        var report = await verifier.VerifyAsync(options.OutputDirectory, key.PublicKey, verify, TestContext.Current.CancellationToken);
        Assert.True(report.Passed, string.Join("\n", report.Renditions.SelectMany(r => r.Problems)));
        Assert.All(report.Renditions.Single().SpotChecks, c => Assert.True(c.Score >= verify.MinSsim));

        var cut = options with { OutputDirectory = Path.Combine(_dir.FullName, "cut"), Duration = TimeSpan.FromSeconds(6) };
        Assert.True((await new HlsPublisher(cut, key, tools, TimeProvider.System).RunAsync(null, TestContext.Current.CancellationToken)).Succeeded);
        var cutReport = await verifier.VerifyAsync(cut.OutputDirectory, key.PublicKey, verify, TestContext.Current.CancellationToken);
        Assert.False(cutReport.Passed);
        Assert.Contains(cutReport.Renditions.Single().Problems, p => p.Contains("the source lasts", StringComparison.Ordinal));
    }
}
