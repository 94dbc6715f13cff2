namespace Shoal.Media.Ffmpeg;

/// <summary>Where the ffmpeg and ffprobe executables are; found on PATH or named by SHOAL_FFMPEG / SHOAL_FFPROBE.</summary>
/// <param name="Ffmpeg">Path of ffmpeg.</param>
/// <param name="Ffprobe">Path of ffprobe.</param>
public sealed record FfmpegTools(string Ffmpeg, string Ffprobe)
{
    /// <summary>What to tell a person whose machine lacks ffmpeg.</summary>
    public const string InstallHint = "ffmpeg is not installed: install it with `sudo apt-get install ffmpeg` (Debian/Ubuntu), `brew install ffmpeg` (macOS) or from https://ffmpeg.org/download.html, or set SHOAL_FFMPEG and SHOAL_FFPROBE to the executables";

    /// <summary>Finds both tools; false with <see cref="InstallHint"/> when either is missing.</summary>
    public static bool TryLocate(out FfmpegTools tools, out string error) =>
        TryLocate(Environment.GetEnvironmentVariable("PATH"), Environment.GetEnvironmentVariable("SHOAL_FFMPEG"), Environment.GetEnvironmentVariable("SHOAL_FFPROBE"), out tools, out error);

    /// <summary>Finds both tools on <paramref name="searchPath"/> unless configured explicitly.</summary>
    internal static bool TryLocate(string? searchPath, string? ffmpegOverride, string? ffprobeOverride, out FfmpegTools tools, out string error)
    {
        var ffmpeg = Find(ffmpegOverride, "ffmpeg", searchPath);
        var ffprobe = Find(ffprobeOverride, "ffprobe", searchPath);
        if (ffmpeg is null || ffprobe is null)
        {
            tools = new FfmpegTools("", "");
            error = InstallHint;
            return false;
        }

        tools = new FfmpegTools(ffmpeg, ffprobe);
        error = "";
        return true;
    }

    private static string? Find(string? configured, string name, string? searchPath)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (var dir in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? [name + ".exe"] : new[] { name })
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        return null;
    }
}
