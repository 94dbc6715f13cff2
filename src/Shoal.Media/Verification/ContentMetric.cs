namespace Shoal.Media.Verification;

/// <summary>How a spot check compares a rendition's pictures with the source's (both computed by ffmpeg's filters).</summary>
public enum ContentMetric
{
    /// <summary>Structural similarity (ffmpeg ssim filter, "All" score, 0..1).</summary>
    Ssim,

    /// <summary>Peak signal-to-noise ratio (ffmpeg psnr filter, "average" in dB).</summary>
    Psnr,
}
