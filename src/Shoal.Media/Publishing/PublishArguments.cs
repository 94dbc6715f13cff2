using System.Globalization;
using Shoal.Media.Ffmpeg;

namespace Shoal.Media.Publishing;

/// <summary>Builds the ffmpeg command line of a publish: one encode per rung from one decode, HLS MPEG-TS outputs with aligned keyframes, optional FLV.</summary>
internal static class PublishArguments
{
    public static List<string> Build(PublishOptions options, IReadOnlyList<string> inputArguments, IReadOnlyList<(LadderRung Rung, string Folder)> renditions, bool restart)
    {
        var realTime = options.RealTime ?? (options.Live && (FfmpegInput.IsFile(options.Input) || options.Input.StartsWith("lavfi:", StringComparison.Ordinal)));
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-y" };
        if (realTime)
        {
            args.Add("-re");
        }

        foreach (var argument in inputArguments)
        {
            // As an input option -t bounds every input, so every output ends (as an output option it binds only the first output).
            if (argument == "-i" && options.Duration is { } duration)
            {
                args.AddRange(["-t", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
            }

            args.Add(argument);
        }

        var outputs = renditions.Count + (options.Flv ? 1 : 0);
        var graph = new List<string> { $"[0:v:0]fps={options.FrameRate},split={outputs}" + string.Concat(Enumerable.Range(0, outputs).Select(i => $"[s{i}]")) };
        for (var i = 0; i < outputs; i++)
        {
            var rung = i < renditions.Count ? renditions[i].Rung : renditions[0].Rung;
            graph.Add(rung.KeepsSourceSize
                ? $"[s{i}]format=yuv420p[v{i}]"
                : $"[s{i}]scale=w={rung.Width}:h={rung.Height}:force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p[v{i}]");
        }

        args.AddRange(["-filter_complex", string.Join(';', graph)]);
        var inputCount = inputArguments.Count(a => a == "-i");
        var gop = Math.Max(1, (int)Math.Round(options.FrameRate * options.SegmentSeconds));
        var seconds = options.SegmentSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        for (var i = 0; i < outputs; i++)
        {
            var rung = i < renditions.Count ? renditions[i].Rung : renditions[0].Rung;
            args.AddRange(["-map", $"[v{i}]"]);
            for (var input = 0; input < inputCount; input++)
            {
                args.AddRange(["-map", $"{input}:a:0?"]);
            }

            // Same GOP, no scene-cut keyframes and a keyframe forced at every segment boundary in every
            // rendition: segments of all renditions start at the same instant, so a player can switch between them.
            args.AddRange([
                "-c:v", "libx264", "-preset", options.Preset, "-pix_fmt", "yuv420p",
                "-b:v", $"{rung.VideoKbps}k",
                "-maxrate", $"{(int)(rung.VideoKbps * LadderRung.MaxRateFactor)}k",
                "-bufsize", $"{(int)(rung.VideoKbps * LadderRung.BufferFactor)}k",
                "-g", gop.ToString(CultureInfo.InvariantCulture), "-keyint_min", gop.ToString(CultureInfo.InvariantCulture),
                "-sc_threshold", "0", "-force_key_frames", $"expr:gte(t,n_forced*{seconds})",
                "-c:a", "aac", "-b:a", $"{rung.AudioKbps}k", "-ac", "2", "-ar", "48000",
            ]);
            if (i < renditions.Count)
            {
                var folder = renditions[i].Folder;
                var flags = options.Live ? "delete_segments+temp_file+independent_segments" : "temp_file+independent_segments";
                if (restart && options.Live)
                {
                    // Continue the numbering of the playlist already there, with a discontinuity at the seam.
                    flags += "+append_list+discont_start";
                }

                args.AddRange(["-f", "hls", "-hls_time", seconds, "-hls_segment_type", "mpegts",
                    "-hls_segment_filename", Path.Combine(folder, "seg_%05d.ts"),
                    "-hls_flags", flags,
                    "-hls_list_size", options.Live ? options.Window.ToString(CultureInfo.InvariantCulture) : "0"]);
                if (!options.Live)
                {
                    args.AddRange(["-hls_playlist_type", "vod"]);
                }

                args.Add(Path.Combine(folder, PublishedFiles.Playlist));
            }
            else
            {
                args.AddRange(["-f", "flv", Path.Combine(options.OutputDirectory, PublishedFiles.Flv)]);
            }
        }

        return args;
    }
}
