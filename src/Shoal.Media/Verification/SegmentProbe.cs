using System.Globalization;
using System.Text.Json;
using Shoal.Media.Ffmpeg;

namespace Shoal.Media.Verification;

/// <summary>What ffprobe says about a segment's first video stream: frame size, rate and every packet's time and keyframe flag.</summary>
internal sealed record SegmentProbe(int Width, int Height, double FrameRate, IReadOnlyList<(double Pts, bool Key)> Packets)
{
    public double? Start => Packets.Count > 0 ? Packets.Min(p => p.Pts) : null;

    public double? Duration => Packets.Count > 0 ? Packets.Max(p => p.Pts) - Packets.Min(p => p.Pts) + (FrameRate > 0 ? 1 / FrameRate : 0) : null;

    public IReadOnlyList<double> Keyframes => Packets.Where(p => p.Key).Select(p => p.Pts).Order().ToArray();

    public bool StartsWithKeyframe => Packets.Count > 0 && Packets.MinBy(p => p.Pts).Key;

    public static async Task<(SegmentProbe? Probe, string Error)> RunAsync(FfmpegTools tools, string path, CancellationToken cancellationToken)
    {
        var result = await FfmpegProcess.RunAsync(
            tools.Ffprobe,
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,r_frame_rate:packet=pts_time,flags", "-of", "json", path],
            null,
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return (null, "ffprobe rejects it: " + result.ErrorLine);
        }

        try
        {
            using var doc = JsonDocument.Parse(result.StandardOutput);
            var root = doc.RootElement;
            if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
            {
                return (null, "it has no video stream");
            }

            var stream = streams[0];
            var width = stream.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
            var height = stream.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
            var rate = stream.TryGetProperty("r_frame_rate", out var r) ? ParseRate(r.GetString()) : 0;
            var packets = new List<(double, bool)>();
            if (root.TryGetProperty("packets", out var list))
            {
                foreach (var packet in list.EnumerateArray())
                {
                    if (packet.TryGetProperty("pts_time", out var pts)
                        && double.TryParse(pts.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var time))
                    {
                        var flags = packet.TryGetProperty("flags", out var f) ? f.GetString() ?? "" : "";
                        packets.Add((time, flags.Contains('K', StringComparison.Ordinal)));
                    }
                }
            }

            return (new SegmentProbe(width, height, rate, packets), "");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, "ffprobe's report is unreadable: " + e.Message);
        }
    }

    private static double ParseRate(string? text)
    {
        var parts = (text ?? "").Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
            ? n / d
            : 0;
    }
}
