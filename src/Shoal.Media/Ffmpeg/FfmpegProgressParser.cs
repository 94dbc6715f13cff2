using System.Globalization;

namespace Shoal.Media.Ffmpeg;

/// <summary>
/// Turns ffmpeg's <c>-progress pipe:1</c> lines into <see cref="FfmpegProgress"/> reports. ffmpeg writes
/// <c>key=value</c> lines and closes each block with <c>progress=continue</c> or <c>progress=end</c>;
/// values it cannot know yet are "N/A". Unknown keys and malformed lines are ignored.
/// </summary>
public sealed class FfmpegProgressParser
{
    private long _frame;
    private double _fps;
    private TimeSpan _outTime;
    private double? _speed;

    /// <summary>Feeds one line; true with a report when the line closes a block.</summary>
    public bool TryFeed(string line, out FfmpegProgress progress)
    {
        ArgumentNullException.ThrowIfNull(line);
        progress = default;
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return false;
        }

        var key = line.AsSpan(0, eq).Trim();
        var value = line.AsSpan(eq + 1).Trim();
        switch (key)
        {
            case "frame":
                _ = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _frame);
                break;
            case "fps":
                _ = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _fps);
                break;
            case "out_time_us" or "out_time_ms":
                // ffmpeg 5 writes microseconds under both names (out_time_ms is a historical misnomer).
                if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var us) && us >= 0 && us < TimeSpan.MaxValue.Ticks / 10)
                {
                    _outTime = TimeSpan.FromMicroseconds(us);
                }

                break;
            case "speed":
                var text = value.TrimEnd('x');
                _speed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null;
                break;
            case "progress":
                progress = new FfmpegProgress(_frame, _fps, _outTime, _speed, value.SequenceEqual("end"));
                return true;
        }

        return false;
    }
}
