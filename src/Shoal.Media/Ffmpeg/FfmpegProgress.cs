namespace Shoal.Media.Ffmpeg;

/// <summary>One progress report of ffmpeg's <c>-progress</c> output (a block of key=value lines ending in progress=...).</summary>
/// <param name="Frame">Frames written so far.</param>
/// <param name="Fps">Encoding speed in frames per second.</param>
/// <param name="OutTime">Media time written so far.</param>
/// <param name="Speed">Encoding speed relative to real time (1.0 = real time), when known.</param>
/// <param name="Ended">True for the last report (progress=end).</param>
public readonly record struct FfmpegProgress(long Frame, double Fps, TimeSpan OutTime, double? Speed, bool Ended);
