using Shoal.Core.Manifests;
using Shoal.Media.Ffmpeg;
using Shoal.Media.Hls;
using Shoal.Media.Publishing;
using Shoal.Media.Verification;

namespace Shoal.Media.Tests.Publishing;

public sealed class LadderPublishTests(LadderPublishFixture fixture) : IClassFixture<LadderPublishFixture>
{
    private static readonly string[] Renditions = ["r180", "r144", "r90"];

    [Fact]
    public void A_short_source_becomes_three_renditions_of_three_segments_under_a_master_playlist()
    {
        FfmpegRequirement.SkipIfMissing();
        var result = fixture.Result!;
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(Renditions, result.Renditions);
        Assert.Equal(9, result.SegmentsSigned);
        Assert.Contains(fixture.Events, e => e.Kind == PublishEventKind.Progress && e.Progress is { Frame: > 0 });

        var master = Assert.IsType<HlsMasterPlaylist>(Parse(Path.Combine(fixture.Output, PublishedFiles.Playlist)));
        Assert.Equal(Renditions.Select(r => r + "/index.m3u8"), master.Variants.Select(v => v.Uri));
        Assert.Equal([(320, 180), (256, 144), (160, 90)], master.Variants.Select(v => v.Resolution!.Value));
        Assert.True(master.Variants[0].Bandwidth > master.Variants[1].Bandwidth);
        foreach (var rendition in Renditions)
        {
            var media = Assert.IsType<HlsMediaPlaylist>(Parse(Path.Combine(fixture.Output, rendition, PublishedFiles.Playlist)));
            Assert.True(media.IsVod);
            Assert.Equal(3, media.Segments.Count);
            Assert.All(media.Segments, s => Assert.Equal(2.0, s.Duration, 1));
        }

        Assert.True(new FileInfo(Path.Combine(fixture.Output, PublishedFiles.Flv)).Length > 0);
    }

    [Fact]
    public async Task Ffprobe_accepts_every_playlist_and_segment()
    {
        FfmpegRequirement.SkipIfMissing();
        var files = new List<string> { Path.Combine(fixture.Output, PublishedFiles.Playlist), Path.Combine(fixture.Output, PublishedFiles.Flv) };
        foreach (var rendition in Renditions)
        {
            files.Add(Path.Combine(fixture.Output, rendition, PublishedFiles.Playlist));
            files.AddRange(System.IO.Directory.GetFiles(Path.Combine(fixture.Output, rendition), "*.ts"));
        }

        Assert.Equal(2 + (3 * (1 + 3)), files.Count);
        foreach (var file in files)
        {
            var result = await FfmpegProcess.RunAsync(FfmpegRequirement.Require().Ffprobe, ["-v", "error", "-show_streams", "-show_format", file], null, TestContext.Current.CancellationToken);
            Assert.True(result.Succeeded && result.ErrorOutput.Count == 0, $"{file}: {string.Join(" | ", result.ErrorOutput)}");
            Assert.Contains("codec_name=h264", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("codec_name=aac", result.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_manifests_verify_with_the_publisher_key_and_fail_with_another()
    {
        FfmpegRequirement.SkipIfMissing();
        using var stranger = SigningKeyPair.Generate();
        foreach (var rendition in Renditions)
        {
            var bytes = File.ReadAllBytes(Path.Combine(fixture.Output, rendition, PublishedFiles.Manifest));
            Assert.True(SignedManifest.TryDecode(bytes, fixture.Key.PublicKey, out var signed, out var error), error);
            Assert.Equal(ResourceKind.HlsVod, signed.Manifest.Kind);
            Assert.Equal(HlsPublisher.RenditionRid(fixture.Key.PublicKey, "channel", rendition), signed.Manifest.Rid);
            Assert.Equal([0L, 1, 2], signed.Manifest.Segments.Select(s => s.Sequence));
            Assert.False(SignedManifest.TryDecode(bytes, stranger.PublicKey, out _, out _));
        }

        var verifier = new MediaVerifier(FfmpegRequirement.Require());
        var good = await verifier.VerifyAsync(fixture.Output, fixture.Key.PublicKey, new VerifyOptions { Samples = 0 }, TestContext.Current.CancellationToken);
        Assert.True(good.Passed, string.Join("\n", good.Renditions.SelectMany(r => r.Problems)));
        Assert.All(good.Renditions, r => Assert.Equal(3, r.SegmentsHashed));
        var bad = await verifier.VerifyAsync(fixture.Output, stranger.PublicKey, new VerifyOptions { Samples = 0 }, TestContext.Current.CancellationToken);
        Assert.False(bad.Passed);
        Assert.All(bad.Renditions, r => Assert.False(r.SignatureValid));
    }

    [Fact]
    public async Task Spot_checks_pass_against_the_source_and_against_the_top_rendition()
    {
        FfmpegRequirement.SkipIfMissing();
        var verifier = new MediaVerifier(FfmpegRequirement.Require());
        var withSource = await verifier.VerifyAsync(fixture.Output, fixture.Key.PublicKey, new VerifyOptions { Samples = 3, Source = FfmpegRequirement.Source }, TestContext.Current.CancellationToken);
        Assert.True(withSource.Passed, string.Join("\n", withSource.Renditions.SelectMany(r => r.Problems)));
        var checks = withSource.Renditions.SelectMany(r => r.SpotChecks).ToArray();
        Assert.Equal(9, checks.Length);
        Assert.All(checks, c => Assert.True(c.Score >= VerifyOptions.DefaultMinSsim, $"{c.Rendition}/{c.Sequence}: {c.Score}"));
        TestContext.Current.TestOutputHelper?.WriteLine("SSIM against the source: " + string.Join(", ", checks.Select(c => $"{c.Rendition}/{c.Sequence}={c.Score:0.000}")));

        var withTop = await verifier.VerifyAsync(fixture.Output, fixture.Key.PublicKey, new VerifyOptions { Samples = 2, Metric = ContentMetric.Psnr }, TestContext.Current.CancellationToken);
        Assert.True(withTop.Passed, string.Join("\n", withTop.Renditions.SelectMany(r => r.Problems)));
        Assert.All(withTop.Renditions.Skip(1).SelectMany(r => r.SpotChecks), c => Assert.NotNull(c.Score));
    }

    [Fact]
    public async Task A_tampered_segment_fails_both_the_manifest_check_and_the_spot_check()
    {
        FfmpegRequirement.SkipIfMissing();
        var copy = Path.Combine(fixture.Directory.FullName, "tampered-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(fixture.Output, copy);

        // r144: a valid segment from later in the stream passed off as segment 0 (a lazy or malicious transcoder).
        File.Copy(Path.Combine(copy, "r144", "seg_00002.ts"), Path.Combine(copy, "r144", "seg_00000.ts"), overwrite: true);

        // r90: garbage written over the middle of segment 1.
        var path = Path.Combine(copy, "r90", "seg_00001.ts");
        var bytes = File.ReadAllBytes(path);
        new Random(7).NextBytes(bytes.AsSpan(bytes.Length / 4, bytes.Length / 2));
        File.WriteAllBytes(path, bytes);

        var report = await new MediaVerifier(FfmpegRequirement.Require()).VerifyAsync(
            copy, fixture.Key.PublicKey, new VerifyOptions { Samples = 3, Source = FfmpegRequirement.Source }, TestContext.Current.CancellationToken);
        Assert.False(report.Passed);
        var byName = report.Renditions.ToDictionary(r => r.Name);
        Assert.True(byName["r180"].Passed, string.Join("\n", byName["r180"].Problems));

        Assert.Equal([0L], byName["r144"].HashMismatches);
        Assert.False(byName["r144"].SpotChecks.Single(c => c.Sequence == 0).Passed);
        Assert.All(byName["r144"].SpotChecks.Where(c => c.Sequence != 0), c => Assert.True(c.Passed, string.Join("; ", c.Problems)));

        Assert.Equal([1L], byName["r90"].HashMismatches);
        Assert.False(byName["r90"].SpotChecks.Single(c => c.Sequence == 1).Passed);
    }

    private static HlsPlaylist Parse(string path)
    {
        Assert.True(HlsPlaylistParser.TryParse(File.ReadAllText(path), null, null, out var playlist, out var error), error.ToString());
        return playlist!;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in System.IO.Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            System.IO.Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
