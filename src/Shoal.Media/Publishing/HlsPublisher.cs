using System.Globalization;
using System.Text;
using System.Text.Json;
using Shoal.Core.Identity;
using Shoal.Core.Manifests;
using Shoal.Media.Ffmpeg;
using Shoal.Media.Hls;

namespace Shoal.Media.Publishing;

/// <summary>
/// Publishes a source as signed HLS: runs ffmpeg (one rendition or an ABR ladder, MPEG-TS segments with
/// aligned keyframes, optional FLV), signs every segment into its rendition's manifest as soon as the
/// playlist lists it, writes the master playlist and a description, and restarts or stops on a crash as configured.
/// </summary>
public sealed class HlsPublisher
{
    private readonly PublishOptions _options;
    private readonly SigningKeyPair _key;
    private readonly FfmpegTools _tools;
    private readonly TimeProvider _time;

    public HlsPublisher(PublishOptions options, SigningKeyPair key, FfmpegTools tools, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _key = key;
        _tools = tools;
        _time = time;
    }

    /// <summary>The RID of a published rendition: H(publisher key, "channel/rendition") (DESIGN.md, content model).</summary>
    public static Rid RenditionRid(PublicSigningKey publisher, string channel, string rendition)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return Rid.ForChannel(publisher.Span, channel + "/" + rendition);
    }

    /// <summary>Runs the publish until the input ends, ffmpeg fails for good, or <paramref name="cancellationToken"/> stops it.</summary>
    public async Task<PublishResult> RunAsync(Action<PublishEvent>? onEvent, CancellationToken cancellationToken)
    {
        var report = onEvent ?? (_ => { });
        if (Validate() is { } invalid)
        {
            return new PublishResult(false, invalid, 0, 0, []);
        }

        if (!FfmpegInput.TryParse(_options.Input, out var inputArguments, out var inputError))
        {
            return new PublishResult(false, "input: " + inputError, 0, 0, []);
        }

        var outputDirectory = Path.GetFullPath(_options.OutputDirectory);
        var channel = _options.Channel ?? new DirectoryInfo(outputDirectory).Name;
        var rungs = _options.Ladder ? _options.Rungs : [_options.SingleRung];
        var renditions = rungs.Select(r => (Rung: r, Folder: _options.Ladder ? Path.Combine(outputDirectory, r.Name) : outputDirectory)).ToArray();
        try
        {
            foreach (var (_, folder) in renditions)
            {
                Directory.CreateDirectory(folder);
            }

            if (_options.Ladder)
            {
                RenditionSigner.WriteAtomically(Path.Combine(outputDirectory, PublishedFiles.Playlist), Encoding.UTF8.GetBytes(MasterPlaylist(rungs)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PublishResult(false, $"cannot write to {outputDirectory}: {e.Message}", 0, 0, []);
        }

        var signers = renditions.Select(r => new RenditionSigner(r.Rung.Name, r.Folder, RenditionRid(_key.PublicKey, channel, r.Rung.Name), _key, _options)).ToArray();
        WriteDescription(outputDirectory, channel, signers, renditions.Select(r => r.Folder).ToArray());

        using var stopSigning = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signing = SignLoopAsync(signers, report, stopSigning.Token);
        var restarts = 0;
        var error = "";
        try
        {
            while (true)
            {
                var progress = new FfmpegProgressParser();
                var args = PublishArguments.Build(_options, inputArguments, renditions, restart: restarts > 0);
                var result = await FfmpegProcess.RunAsync(_tools.Ffmpeg, args, line =>
                {
                    if (progress.TryFeed(line, out var p))
                    {
                        report(new PublishEvent(PublishEventKind.Progress, Describe(p)) { Progress = p });
                    }
                }, cancellationToken).ConfigureAwait(false);
                if (result.Succeeded || result.Cancelled)
                {
                    break;
                }

                var crash = $"ffmpeg failed (exit code {result.ExitCode}): {result.ErrorLine}";
                if (!_options.RestartOnCrash || restarts >= _options.MaxRestarts)
                {
                    error = _options.RestartOnCrash ? $"{crash} (gave up after {restarts} restarts)" : crash;
                    break;
                }

                restarts++;
                report(new PublishEvent(PublishEventKind.Restarting, $"{crash}; restarting ({restarts}/{_options.MaxRestarts})"));
                try
                {
                    await Task.Delay(_options.RestartDelay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            await stopSigning.CancelAsync().ConfigureAwait(false);
            await signing.ConfigureAwait(false);
        }

        // The last segments ffmpeg closed on its way out are signed too.
        PollAll(signers, report);
        return new PublishResult(error.Length == 0, error, signers.Sum(s => s.SegmentsSigned), restarts, renditions.Select(r => r.Rung.Name).ToArray());
    }

    private string? Validate()
    {
        if (_options.SegmentSeconds is <= 0 or > 60)
        {
            return "--segment-seconds must be between 0 and 60";
        }

        if (_options.Window < 1)
        {
            return "--window must be at least 1";
        }

        if (_options.Ladder && _options.Rungs.Count == 0)
        {
            return "the ladder has no renditions";
        }

        var names = (_options.Ladder ? _options.Rungs : [_options.SingleRung]).Select(r => r.Name).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length || names.Any(n => n.Length == 0 || n.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || n is "." or ".."))
        {
            return "rendition names must be distinct, valid folder names";
        }

        return null;
    }

    private async Task SignLoopAsync(RenditionSigner[] signers, Action<PublishEvent> report, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            PollAll(signers, report);
            try
            {
                await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void PollAll(RenditionSigner[] signers, Action<PublishEvent> report)
    {
        foreach (var signer in signers)
        {
            try
            {
                signer.Poll(report);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                report(new PublishEvent(PublishEventKind.Warning, $"{signer.Name}: signing failed this round: {e.Message}"));
            }
        }
    }

    private string MasterPlaylist(IReadOnlyList<LadderRung> rungs)
    {
        var frameRate = _options.FrameRate.ToString("0.000", CultureInfo.InvariantCulture);
        var master = new HlsMasterPlaylist
        {
            Version = 3,
            HeaderTags = [new HlsTag("EXT-X-INDEPENDENT-SEGMENTS", null)],
            Variants = rungs.Select(r =>
            {
                var attributes = HlsAttributeList.Empty
                    .With("BANDWIDTH", r.PeakBandwidth.ToString(CultureInfo.InvariantCulture))
                    .With("AVERAGE-BANDWIDTH", r.AverageBandwidth.ToString(CultureInfo.InvariantCulture));
                if (!r.KeepsSourceSize)
                {
                    attributes = attributes.With("RESOLUTION", string.Create(CultureInfo.InvariantCulture, $"{r.Width}x{r.Height}"));
                }

                return new HlsVariant(attributes.With("FRAME-RATE", frameRate), r.Name + "/" + PublishedFiles.Playlist);
            }).ToArray(),
        };
        return HlsPlaylistWriter.Write(master);
    }

    private void WriteDescription(string outputDirectory, string channel, RenditionSigner[] signers, string[] folders)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("channel", channel);
            json.WriteString("publisher_key", _key.PublicKey.ToString());
            json.WriteBoolean("live", _options.Live);
            json.WriteNumber("segment_seconds", _options.SegmentSeconds);
            json.WriteString("playlist", PublishedFiles.Playlist);
            json.WriteStartArray("renditions");
            for (var i = 0; i < signers.Length; i++)
            {
                var relative = Path.GetRelativePath(outputDirectory, folders[i]).Replace('\\', '/');
                var prefix = relative == "." ? "" : relative + "/";
                json.WriteStartObject();
                json.WriteString("name", signers[i].Name);
                json.WriteString("rid", signers[i].Rid.ToHex());
                json.WriteString("playlist", prefix + PublishedFiles.Playlist);
                json.WriteString("manifest", prefix + PublishedFiles.Manifest);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        RenditionSigner.WriteAtomically(Path.Combine(outputDirectory, PublishedFiles.Description), stream.ToArray());
    }

    private static string Describe(FfmpegProgress p) => p.Speed is { } speed
        ? string.Create(CultureInfo.InvariantCulture, $"{p.OutTime:hh\\:mm\\:ss\\.f} encoded, frame {p.Frame}, {p.Fps:0} fps, {speed:0.00}x")
        : string.Create(CultureInfo.InvariantCulture, $"{p.OutTime:hh\\:mm\\:ss\\.f} encoded, frame {p.Frame}");
}
