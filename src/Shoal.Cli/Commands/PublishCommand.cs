using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Shoal.Core.Manifests;
using Shoal.Media.Ffmpeg;
using Shoal.Media.Publishing;

namespace Shoal.Cli.Commands;

/// <summary>`shoal publish`: ffmpeg ingest to signed HLS (optionally an ABR ladder, live, FLV).</summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("INPUT")
        {
            Description = "What to publish: a media file; a URL ffmpeg reads (udp://, srt://, rtmp://, http://); " +
                "lavfi:GRAPH for ffmpeg's test sources (e.g. \"lavfi:testsrc2=size=1280x720:rate=30\"); or ffmpeg input " +
                "options passed through when INPUT starts with '-' (e.g. \"-f lavfi -i testsrc2 -f lavfi -i sine\", \"-f v4l2 -i /dev/video0\", " +
                "\"-listen 1 -i rtmp://0.0.0.0:1935/live/key\").",
        };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for playlists, segments and signed manifests.", Required = true };
        var key = new Option<string>("--key") { Description = "Publisher private key (from `shoal keygen`). Default: ~/.config/shoal/publisher.key, created if missing." };
        var ladder = new Option<bool>("--ladder") { Description = "Transcode to 720p/480p/360p (2800/1400/800 kbit/s) with aligned keyframes and a master playlist." };
        var live = new Option<bool>("--live") { Description = "Live channel: sliding playlist of --window segments, old segments deleted, chained signed manifest updates. A file or lavfi input is read in real time." };
        var segmentSeconds = new Option<double>("--segment-seconds") { Description = "Segment duration in seconds.", DefaultValueFactory = _ => PublishOptions.DefaultSegmentSeconds };
        var window = new Option<int>("--window") { Description = "Segments in a live playlist and manifest.", DefaultValueFactory = _ => PublishOptions.DefaultWindow };
        var flv = new Option<bool>("--flv") { Description = "Also write an FLV stream (the top rendition) to OUT/live.flv for HTTP-FLV." };
        var restart = new Option<bool>("--restart-on-crash") { Description = $"Restart ffmpeg when it crashes (up to {PublishOptions.DefaultMaxRestarts} times) instead of stopping." };
        var duration = new Option<double?>("--duration", "-t") { Description = "Stop after this many seconds of media." };
        var preset = new Option<string>("--preset") { Description = "x264 preset (ultrafast ... veryslow).", DefaultValueFactory = _ => "veryfast" };
        var channel = new Option<string?>("--channel") { Description = "Channel name in the RIDs (default: the output folder's name)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command(
            "publish",
            "Publish a source as HLS (MPEG-TS segments) through ffmpeg and sign every segment's Merkle root into a manifest " +
            "(OUT/[rendition/]manifest.shm, with manifest.json for people) as soon as the playlist lists it. Needs ffmpeg.")
        {
            input, output, key, ladder, live, segmentSeconds, window, flv, restart, duration, preset, channel, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!FfmpegTools.TryLocate(out var tools, out var missing))
            {
                Console.Error.WriteLine($"shoal publish: {missing}");
                return 1;
            }

            var keyPath = parseResult.GetValue(key) ?? KeygenCommand.DefaultKeyPath;
            if (parseResult.GetValue(key) is null && !File.Exists(keyPath))
            {
                using var fresh = SigningKeyPair.Generate();
                if (!PublisherKeyFile.TryWrite(fresh, keyPath, false, out var writeError))
                {
                    Console.Error.WriteLine($"shoal publish: {writeError}");
                    return 1;
                }

                Console.Error.WriteLine($"shoal publish: created a new publisher key at {keyPath} (public key {fresh.PublicKey})");
            }

            if (!PublisherKeyFile.TryReadPrivate(keyPath, out var signingKey, out var keyError))
            {
                Console.Error.WriteLine($"shoal publish: {keyError}");
                return 1;
            }

            // SIGTERM/SIGINT: stop ffmpeg with 'q' so it closes its segment and playlist, sign what it wrote, then exit.
            // Handled here because the default handling ends the process before that can finish, orphaning ffmpeg.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
            using (signingKey)
            {
                var options = new PublishOptions
                {
                    Input = parseResult.GetValue(input)!,
                    OutputDirectory = parseResult.GetValue(output)!,
                    Ladder = parseResult.GetValue(ladder),
                    Live = parseResult.GetValue(live),
                    SegmentSeconds = parseResult.GetValue(segmentSeconds),
                    Window = parseResult.GetValue(window),
                    Flv = parseResult.GetValue(flv),
                    RestartOnCrash = parseResult.GetValue(restart),
                    Duration = parseResult.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                    Preset = parseResult.GetValue(preset)!,
                    Channel = parseResult.GetValue(channel),
                };
                var asJson = parseResult.GetValue(json);
                var interactive = !Console.IsErrorRedirected && !asJson;
                var lastLine = TimeProvider.System.GetTimestamp();
                var publisher = new HlsPublisher(options, signingKey, tools, TimeProvider.System);
                var result = await publisher.RunAsync(e =>
                {
                    switch (e.Kind)
                    {
                        case PublishEventKind.Progress when interactive:
                            Console.Error.Write($"\rpublish: {e.Message}".PadRight(70));
                            break;
                        case PublishEventKind.Progress when TimeProvider.System.GetElapsedTime(lastLine) > TimeSpan.FromSeconds(5):
                            lastLine = TimeProvider.System.GetTimestamp();
                            Console.Error.WriteLine($"publish: {e.Message}");
                            break;
                        case PublishEventKind.Restarting or PublishEventKind.Warning:
                            Console.Error.WriteLine($"{(interactive ? "\n" : "")}publish: {e.Message}");
                            break;
                    }
                }, stop.Token);
                if (interactive)
                {
                    Console.Error.WriteLine();
                }

                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["succeeded"] = result.Succeeded,
                        ["error"] = result.Error,
                        ["segments_signed"] = result.SegmentsSigned,
                        ["restarts"] = result.Restarts,
                        ["renditions"] = result.Renditions,
                        ["output"] = Path.GetFullPath(options.OutputDirectory),
                        ["publisher_key"] = signingKey.PublicKey.ToString(),
                    }));
                }
                else if (result.Succeeded)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"published {result.SegmentsSigned} signed segments in {result.Renditions.Count} rendition(s) ({string.Join(", ", result.Renditions)}) to {Path.GetFullPath(options.OutputDirectory)}; publisher key {signingKey.PublicKey}"));
                }

                if (!result.Succeeded)
                {
                    Console.Error.WriteLine($"shoal publish: {result.Error}");
                    return 1;
                }

                return 0;
            }
        });
        return command;
    }
}
