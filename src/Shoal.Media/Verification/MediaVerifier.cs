using System.Globalization;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;
using Shoal.Media.Ffmpeg;
using Shoal.Media.Hls;
using Shoal.Media.Publishing;

namespace Shoal.Media.Verification;

/// <summary>
/// Checks a published folder the way a careful broadcaster or viewer would (the Livepeer spot check): each
/// rendition's manifest is signed by the trusted key, every segment's bytes match the manifest's Merkle root,
/// and sampled segments decode, start on a keyframe, line up in time across renditions and with the playlist,
/// and look like the source (SSIM or PSNR against the source scaled to the same size).
/// </summary>
public sealed class MediaVerifier
{
    private readonly FfmpegTools _tools;

    public MediaVerifier(FfmpegTools tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools;
    }

    /// <summary>Verifies <paramref name="directory"/> (the output folder of <c>shoal publish</c>) against <paramref name="trusted"/>.</summary>
    public async Task<VerifyReport> VerifyAsync(string directory, PublicSigningKey trusted, VerifyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentNullException.ThrowIfNull(options);
        if (!TryFindRenditions(directory, out var renditions, out var error))
        {
            return new VerifyReport([], [error]);
        }

        var states = renditions.Select(r => CheckSignatureAndHashes(r.Name, r.Folder, trusted)).ToArray();
        if (options.Samples > 0)
        {
            await SpotCheckAsync(states, options, cancellationToken).ConfigureAwait(false);
            await CheckTotalDurationAsync(states, options, cancellationToken).ConfigureAwait(false);
        }

        return new VerifyReport(states.Select(s => s.ToReport()).ToArray(), []);
    }

    private static bool TryFindRenditions(string directory, out List<(string Name, string Folder)> renditions, out string error)
    {
        renditions = [];
        error = "";
        var root = Path.GetFullPath(directory);
        var path = Path.Combine(root, PublishedFiles.Playlist);
        if (!File.Exists(path))
        {
            error = $"{path} does not exist: not the output folder of `shoal publish`";
            return false;
        }

        if (!HlsPlaylistParser.TryParse(File.ReadAllText(path), null, null, out var playlist, out var parseError))
        {
            error = $"{path}: {parseError}";
            return false;
        }

        if (playlist is HlsMediaPlaylist)
        {
            renditions.Add((new DirectoryInfo(root).Name, root));
            return true;
        }

        foreach (var variant in ((HlsMasterPlaylist)playlist!).Variants)
        {
            var playlistPath = Path.GetFullPath(Path.Combine(root, variant.Uri));
            var folder = Path.GetDirectoryName(playlistPath)!;
            if (!playlistPath.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.GetFileName(playlistPath) != PublishedFiles.Playlist)
            {
                error = $"variant '{variant.Uri}' is not a {PublishedFiles.Playlist} inside {root}";
                return false;
            }

            renditions.Add((Path.GetRelativePath(root, folder), folder));
        }

        return true;
    }

    private static RenditionState CheckSignatureAndHashes(string name, string folder, PublicSigningKey trusted)
    {
        var state = new RenditionState(name, folder);
        var playlistPath = Path.Combine(folder, PublishedFiles.Playlist);
        if (!File.Exists(playlistPath) || !HlsPlaylistParser.TryParse(File.ReadAllText(playlistPath), null, null, out var parsed, out var parseError) || parsed is not HlsMediaPlaylist playlist)
        {
            state.Problems.Add($"{name}: the media playlist is missing or unreadable");
            return state;
        }

        state.Playlist = playlist;
        var manifestPath = Path.Combine(folder, PublishedFiles.Manifest);
        if (!File.Exists(manifestPath))
        {
            state.Problems.Add($"{name}: no signed manifest ({PublishedFiles.Manifest})");
            return state;
        }

        if (!SignedManifest.TryDecode(File.ReadAllBytes(manifestPath), trusted, out var signed, out var signatureError))
        {
            state.Problems.Add($"{name}: manifest signature check failed: {signatureError}");
            return state;
        }

        state.SignatureValid = true;
        var manifest = signed.Manifest;
        var live = manifest.Kind == ResourceKind.HlsLive;
        foreach (var entry in manifest.Segments)
        {
            var file = Path.GetFullPath(Path.Combine(folder, entry.Uri));
            if (!file.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                state.Problems.Add($"{name}: manifest segment {entry.Sequence} points outside the rendition folder ({entry.Uri})");
                continue;
            }

            if (!File.Exists(file))
            {
                if (!live)
                {
                    state.Problems.Add($"{name}: segment {entry.Sequence} ({entry.Uri}) is missing");
                }

                continue; // A live window slides: the publisher deletes old segments.
            }

            var bytes = File.ReadAllBytes(file);
            state.SegmentsHashed++;
            if (bytes.Length != entry.Length || bytes.Length > Core.Content.ChunkAddressing.MaxSegmentLength || MerkleTree.Build(manifest.HashFunction, bytes).Root != entry.Root)
            {
                state.HashMismatches.Add(entry.Sequence);
                state.Problems.Add($"{name}: segment {entry.Sequence} ({entry.Uri}) does not match its signed hash");
            }
        }

        var signedSequences = manifest.Segments.Select(s => s.Sequence).ToHashSet();
        var first = manifest.Segments.Count > 0 ? manifest.Segments[0].Sequence : long.MaxValue;
        for (var i = 0; i < playlist.Segments.Count; i++)
        {
            var sequence = playlist.SequenceAt(i);
            if (!signedSequences.Contains(sequence) && (!live || sequence >= first))
            {
                state.Problems.Add($"{name}: segment {sequence} is in the playlist but not in the signed manifest");
            }
        }

        return state;
    }

    private async Task SpotCheckAsync(RenditionState[] states, VerifyOptions options, CancellationToken cancellationToken)
    {
        var usable = states.Where(s => s.Playlist is not null).ToArray();
        if (usable.Length == 0)
        {
            return;
        }

        // The same sequence numbers in every rendition, so their timing can be compared.
        var common = usable.Select(s => Enumerable.Range(0, s.Playlist!.Segments.Count).Select(i => s.Playlist.SequenceAt(i)).Where(q => File.Exists(s.SegmentPath(q))).ToHashSet())
            .Aggregate((a, b) => { a.IntersectWith(b); return a; })
            .Order().ToArray();
        var random = new Random(options.Seed);
        var sample = common.OrderBy(_ => random.Next()).Take(options.Samples).Order().ToArray();
        var reference = options.Source is null && usable.Length > 1 ? usable.MaxBy(s => s.Bandwidth) : null;
        foreach (var sequence in sample)
        {
            var probes = new Dictionary<RenditionState, SegmentProbe>();
            foreach (var state in usable)
            {
                var problems = new List<string>();
                var path = state.SegmentPath(sequence);
                var decodes = await DecodesAsync(path, problems, cancellationToken).ConfigureAwait(false);
                var (probe, probeError) = await SegmentProbe.RunAsync(_tools, path, cancellationToken).ConfigureAwait(false);
                double? score = null;
                if (probe is null)
                {
                    problems.Add(probeError);
                }
                else
                {
                    probes[state] = probe;
                    var extinf = state.Playlist!.Segments[(int)(sequence - state.Playlist.MediaSequence)].Duration;
                    if (!probe.StartsWithKeyframe)
                    {
                        problems.Add("does not start with a keyframe");
                    }

                    if (probe.Duration is { } d && Math.Abs(d - extinf) > options.TimingToleranceSeconds)
                    {
                        problems.Add(string.Create(CultureInfo.InvariantCulture, $"lasts {d:0.000} s but the playlist says {extinf:0.000} s"));
                    }

                    if (decodes && (reference is not null || options.Source is not null) && state != reference)
                    {
                        score = await CompareAsync(state, reference, sequence, probe, options, problems, cancellationToken).ConfigureAwait(false);
                    }
                }

                state.SpotChecks.Add(new SpotCheck(state.Name, sequence, decodes, probe?.Start, probe?.Duration, score, problems));
            }

            CheckAlignment(sequence, probes, options);
        }

        foreach (var state in usable)
        {
            foreach (var check in state.SpotChecks.Where(c => !c.Passed))
            {
                state.Problems.Add($"{state.Name}: spot check of segment {check.Sequence} failed: {string.Join("; ", check.Problems)}");
            }
        }
    }

    /// <summary>A finished VOD rendition covers the whole source file: the playlist's durations add up to the source's.</summary>
    private async Task CheckTotalDurationAsync(RenditionState[] states, VerifyOptions options, CancellationToken cancellationToken)
    {
        if (options.Source is not { } source || !FfmpegInput.IsFile(source))
        {
            return;
        }

        var result = await FfmpegProcess.RunAsync(
            _tools.Ffprobe,
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", source],
            null,
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded || !double.TryParse(result.StandardOutput.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var sourceSeconds))
        {
            return; // The spot checks already report a source that cannot be read.
        }

        foreach (var state in states.Where(s => s.Playlist is { IsVod: true, MediaSequence: 0 }))
        {
            var total = state.Playlist!.TotalDuration;
            var tolerance = Math.Max(options.TimingToleranceSeconds, 1.0 / VerifyOptions.MinimumFrameRate);
            if (Math.Abs(total - sourceSeconds) > tolerance + options.TimingToleranceSeconds)
            {
                state.Problems.Add(string.Create(CultureInfo.InvariantCulture, $"{state.Name}: its segments last {total:0.000} s in all but the source lasts {sourceSeconds:0.000} s"));
            }
        }
    }

    private static void CheckAlignment(long sequence, Dictionary<RenditionState, SegmentProbe> probes, VerifyOptions options)
    {
        if (probes.Count < 2)
        {
            return;
        }

        // The reference is the timing most renditions agree on, so one bad rendition is the one blamed.
        var starts = probes.Values.Select(p => p.Start ?? double.NaN).ToArray();
        var median = starts.Order().ElementAt(starts.Length / 2);
        var keyReference = probes.Values.First(p => Math.Abs((p.Start ?? double.NaN) - median) <= options.TimingToleranceSeconds).Keyframes;
        foreach (var (state, probe) in probes)
        {
            var index = state.SpotChecks.FindLastIndex(c => c.Sequence == sequence);
            var check = state.SpotChecks[index];
            var problems = check.Problems.ToList();
            if (probe.Start is not { } start || Math.Abs(start - median) > options.TimingToleranceSeconds)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"starts at {probe.Start:0.000} s while the other renditions start at {median:0.000} s"));
            }
            else if (probe.Keyframes.Count != keyReference.Count || probe.Keyframes.Zip(keyReference).Any(k => Math.Abs(k.First - k.Second) > options.TimingToleranceSeconds))
            {
                problems.Add("its keyframes do not line up with the other renditions'");
            }

            state.SpotChecks[index] = check with { Problems = problems };
        }
    }

    private async Task<bool> DecodesAsync(string path, List<string> problems, CancellationToken cancellationToken)
    {
        var result = await FfmpegProcess.RunAsync(_tools.Ffmpeg, ["-hide_banner", "-nostats", "-v", "error", "-i", path, "-map", "0", "-f", "null", "-"], null, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && result.ErrorOutput.Count == 0)
        {
            return true;
        }

        problems.Add("does not decode cleanly: " + (result.ErrorOutput.Count > 0 ? result.ErrorOutput[0] : result.ErrorLine));
        return false;
    }

    private async Task<double?> CompareAsync(RenditionState state, RenditionState? reference, long sequence, SegmentProbe probe, VerifyOptions options, List<string> problems, CancellationToken cancellationToken)
    {
        List<string> referenceInput;
        if (options.Source is { } source)
        {
            var playlist = state.Playlist!;
            if (playlist.MediaSequence != 0)
            {
                return null; // A live window that slid: where this segment sits in the source is not known.
            }

            if (!FfmpegInput.TryParse(source, out var sourceArguments, out var sourceError))
            {
                problems.Add("the source cannot be read: " + sourceError);
                return null;
            }

            var index = (int)(sequence - playlist.MediaSequence);
            var offset = playlist.Segments.Take(index).Sum(s => s.Duration);
            var duration = playlist.Segments[index].Duration;
            referenceInput = [];
            var first = true;
            foreach (var argument in sourceArguments)
            {
                if (argument == "-i" && first)
                {
                    // "-ss 0" is not a no-op: on a lavfi source ffmpeg 5 then drops the first frame, shifting every
                    // comparison by one frame (SSIM 0.92 instead of 0.99 on testsrc2), so it is left out at the start.
                    if (offset > 0)
                    {
                        referenceInput.AddRange(["-ss", Seconds(offset)]);
                    }

                    referenceInput.AddRange(["-t", Seconds(duration)]);
                    first = false;
                }

                referenceInput.Add(argument);
            }
        }
        else
        {
            referenceInput = ["-i", reference!.SegmentPath(sequence)];
        }

        var rate = probe.FrameRate > 0 ? Seconds(probe.FrameRate) : "30";
        var filter = options.Metric == ContentMetric.Ssim ? "ssim" : "psnr";
        var graph = $"[0:v:0]setpts=PTS-STARTPTS,format=yuv420p[d];[1:v:0]fps={rate},scale={probe.Width}:{probe.Height}:flags=bicubic,setpts=PTS-STARTPTS,format=yuv420p[r];[d][r]{filter}";
        var result = await FfmpegProcess.RunAsync(
            _tools.Ffmpeg,
            ["-hide_banner", "-nostats", "-loglevel", "info", "-i", state.SegmentPath(sequence), .. referenceInput, "-filter_complex", graph, "-f", "null", "-"],
            null,
            cancellationToken).ConfigureAwait(false);
        var score = ParseScore(result.ErrorOutput, options.Metric);
        if (!result.Succeeded || score is null)
        {
            problems.Add($"{filter.ToUpperInvariant()} could not be computed: {result.ErrorLine}");
            return null;
        }

        var floor = options.Metric == ContentMetric.Ssim ? options.MinSsim : options.MinPsnr;
        if (score < floor)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{filter.ToUpperInvariant()} {score:0.0000} against the {(options.Source is null ? "top rendition" : "source")} is below {floor}"));
        }

        return score;
    }

    /// <summary>Reads ffmpeg's summary line: "SSIM Y:... All:0.987 (19.1)" or "PSNR y:... average:35.2 min:...".</summary>
    internal static double? ParseScore(IEnumerable<string> lines, ContentMetric metric)
    {
        var (marker, key) = metric == ContentMetric.Ssim ? ("SSIM Y:", "All:") : ("PSNR y:", "average:");
        foreach (var line in lines.Reverse())
        {
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var k = line.IndexOf(key, at, StringComparison.Ordinal);
            if (k < 0)
            {
                return null;
            }

            var value = line[(k + key.Length)..].Split(' ', 2)[0];
            if (value == "inf")
            {
                return double.PositiveInfinity;
            }

            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) ? score : null;
        }

        return null;
    }

    private static string Seconds(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private sealed class RenditionState(string name, string folder)
    {
        public string Name { get; } = name;

        public string Folder { get; } = folder;

        public HlsMediaPlaylist? Playlist { get; set; }

        public bool SignatureValid { get; set; }

        public int SegmentsHashed { get; set; }

        public List<long> HashMismatches { get; } = [];

        public List<SpotCheck> SpotChecks { get; } = [];

        public List<string> Problems { get; } = [];

        /// <summary>Ranks renditions for choosing the reference: the biggest segments carry the most detail.</summary>
        public long Bandwidth => Playlist is null ? 0 : Playlist.Segments.Select((s, i) => SegmentPath(Playlist.SequenceAt(i))).Where(File.Exists).Select(p => new FileInfo(p).Length).DefaultIfEmpty(0).Sum();

        public string SegmentPath(long sequence)
        {
            var index = (int)(sequence - Playlist!.MediaSequence);
            return Path.Combine(Folder, Playlist.Segments[index].Uri);
        }

        public RenditionReport ToReport() => new(Name, SignatureValid, SegmentsHashed, HashMismatches, SpotChecks, Problems);
    }
}
