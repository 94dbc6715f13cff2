using System.Globalization;
using Shoal.Core.Manifests;
using Shoal.Media.Hls;
using Shoal.Media.Publishing;
using Shoal.Media.Verification;

namespace Shoal.Media.Tests.Publishing;

public sealed class LivePublishTests : IDisposable
{
    /// <summary>
    /// The issue asks for a 30 s live publish; a live source runs in real time, so the suite uses 12 s by default
    /// (still 12 one-second segments through a 4-segment window). SHOAL_LIVE_TEST_SECONDS=30 runs the full length.
    /// </summary>
    private static readonly int LiveSeconds =
        int.TryParse(Environment.GetEnvironmentVariable("SHOAL_LIVE_TEST_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 12;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("shoal-live-");

    public void Dispose() => _dir.Delete(true);

    [Fact]
    public async Task A_live_publish_slides_its_playlist_and_its_manifest_grows_in_step()
    {
        FfmpegRequirement.SkipIfMissing();
        using var key = SigningKeyPair.Generate();
        var output = Path.Combine(_dir.FullName, "live");
        const int window = 4;
        var options = new PublishOptions
        {
            Input = "lavfi:testsrc2=size=160x90:rate=30",
            OutputDirectory = output,
            Live = true,
            Window = window,
            SegmentSeconds = 1,
            Duration = TimeSpan.FromSeconds(LiveSeconds),
            Preset = "ultrafast",
            SingleRung = new LadderRung("source", 0, 0, 200, 32),
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        var updates = new List<PublishEvent>();
        var result = await new HlsPublisher(options, key, FfmpegRequirement.Require(), TimeProvider.System)
            .RunAsync(e => { if (e.Kind == PublishEventKind.ManifestUpdated) { lock (updates) { updates.Add(e); } } }, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.Error);

        // Each signed update lists exactly the segments the playlist listed when it was signed.
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal(u.PlaylistSequences, u.ManifestSequences));
        Assert.Equal(Enumerable.Range(1, updates.Count).Select(i => (long)i), updates.Select(u => u.UpdateNumber));
        Assert.True(updates.Count >= LiveSeconds / 3, $"only {updates.Count} updates in {LiveSeconds} s");
        Assert.True(result.SegmentsSigned >= LiveSeconds - 2, $"only {result.SegmentsSigned} segments signed");

        // The playlist slid: old segments left the window and their files were deleted.
        Assert.True(HlsPlaylistParser.TryParse(File.ReadAllText(Path.Combine(output, PublishedFiles.Playlist)), null, null, out var parsed, out var error), error.ToString());
        var playlist = Assert.IsType<HlsMediaPlaylist>(parsed);
        Assert.True(playlist.MediaSequence >= LiveSeconds - window - 2, $"media sequence {playlist.MediaSequence}");
        Assert.InRange(playlist.Segments.Count, 1, window);
        Assert.False(File.Exists(Path.Combine(output, "seg_00000.ts")));
        Assert.True(updates.Select(u => u.ManifestSequences[0]).Distinct().Count() > 1, "the manifest window never slid");

        // A follower that saw every update accepts the whole chain, and the last one is the manifest on disk.
        var signed = File.ReadAllBytes(Path.Combine(output, PublishedFiles.Manifest));
        Assert.True(SignedManifest.TryDecode(signed, key.PublicKey, out var last, out var decodeError), decodeError);
        Assert.Equal(playlist.Segments.Select((_, i) => playlist.SequenceAt(i)), last.Manifest.Segments.Select(s => s.Sequence));
        var follower = new LiveManifestFollower(key.PublicKey, last.Manifest.Rid);
        foreach (var file in Directory.GetFiles(Path.Combine(output, PublishedFiles.UpdatesFolder)).Order(StringComparer.Ordinal))
        {
            Assert.True(follower.TryAccept(File.ReadAllBytes(file), out _, out var chainError), $"{Path.GetFileName(file)}: {chainError}");
        }

        Assert.Equal(updates.Count, follower.Current!.Manifest.UpdateNumber);

        var report = await new MediaVerifier(FfmpegRequirement.Require()).VerifyAsync(output, key.PublicKey, new VerifyOptions { Samples = 2 }, TestContext.Current.CancellationToken);
        Assert.True(report.Passed, string.Join("\n", report.Renditions.SelectMany(r => r.Problems)));
    }

    [Fact]
    public async Task Cancelling_a_live_publish_stops_ffmpeg_and_keeps_what_was_signed()
    {
        FfmpegRequirement.SkipIfMissing();
        using var key = SigningKeyPair.Generate();
        var output = Path.Combine(_dir.FullName, "stopped");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var options = new PublishOptions
        {
            Input = "lavfi:testsrc2=size=160x90:rate=30",
            OutputDirectory = output,
            Live = true,
            SegmentSeconds = 1,
            Preset = "ultrafast",
            SingleRung = new LadderRung("source", 0, 0, 200, 32),
            PollInterval = TimeSpan.FromMilliseconds(100),
        };

        // No duration: only the cancellation ends this publish.
        var result = await new HlsPublisher(options, key, FfmpegRequirement.Require(), TimeProvider.System)
            .RunAsync(e => { if (e.Kind == PublishEventKind.ManifestUpdated && e.UpdateNumber >= 2) { stop.Cancel(); } }, stop.Token);
        Assert.True(result.Succeeded, result.Error);
        Assert.True(result.SegmentsSigned >= 2);
        Assert.True(SignedManifest.TryDecode(File.ReadAllBytes(Path.Combine(output, PublishedFiles.Manifest)), key.PublicKey, out _, out var error), error);
    }

    [Fact]
    public async Task A_crashing_ffmpeg_is_reported_in_one_line_and_restarted_as_configured()
    {
        FfmpegRequirement.SkipIfMissing();
        using var key = SigningKeyPair.Generate();
        var missing = Path.Combine(_dir.FullName, "no-such-input.mp4");
        var options = new PublishOptions { Input = missing, OutputDirectory = Path.Combine(_dir.FullName, "crash") };
        var once = await new HlsPublisher(options, key, FfmpegRequirement.Require(), TimeProvider.System).RunAsync(null, TestContext.Current.CancellationToken);
        Assert.False(once.Succeeded);
        Assert.Equal(0, once.Restarts);
        Assert.Contains("No such file or directory", once.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', once.Error);

        var restarts = new List<string>();
        var retried = await new HlsPublisher(options with { RestartOnCrash = true, MaxRestarts = 2, RestartDelay = TimeSpan.FromMilliseconds(10) }, key, FfmpegRequirement.Require(), TimeProvider.System)
            .RunAsync(e => { if (e.Kind == PublishEventKind.Restarting) { restarts.Add(e.Message); } }, TestContext.Current.CancellationToken);
        Assert.False(retried.Succeeded);
        Assert.Equal(2, retried.Restarts);
        Assert.Equal(2, restarts.Count);
        Assert.Contains("gave up after 2 restarts", retried.Error, StringComparison.Ordinal);
    }
}
