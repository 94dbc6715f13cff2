namespace Shoal.Media.Ffmpeg;

/// <summary>How an ffmpeg or ffprobe run ended.</summary>
/// <param name="ExitCode">The process exit code (-1 when it was killed on cancellation).</param>
/// <param name="ErrorLine">The last error line ffmpeg printed, or a description of the failure; empty on success.</param>
/// <param name="Cancelled">True when the caller cancelled and the process was stopped.</param>
/// <param name="StandardOutput">Standard output, when the caller asked to collect it.</param>
/// <param name="ErrorOutput">The last <see cref="FfmpegProcess.KeptErrorLines"/> non-empty lines of standard error, whatever the outcome.</param>
public sealed record FfmpegResult(int ExitCode, string ErrorLine, bool Cancelled, string StandardOutput, IReadOnlyList<string> ErrorOutput)
{
    /// <summary>True when the process exited with 0 and was not cancelled.</summary>
    public bool Succeeded => ExitCode == 0 && !Cancelled;
}
