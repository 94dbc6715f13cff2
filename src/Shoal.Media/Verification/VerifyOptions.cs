namespace Shoal.Media.Verification;

/// <summary>Settings of <c>shoal verify</c>: how many segments to spot check and the thresholds they must meet.</summary>
public sealed record VerifyOptions
{
    /// <summary>Default: 3 segments per rendition (Livepeer's broadcaster spot checks sample, they do not re-encode everything).</summary>
    public const int DefaultSamples = 3;

    /// <summary>Default SSIM floor: H.264 at ladder bitrates scores well above 0.9 against its scaled source; a wrong or broken picture scores far below.</summary>
    public const double DefaultMinSsim = 0.90;

    /// <summary>Default PSNR floor in dB, for <see cref="ContentMetric.Psnr"/>.</summary>
    public const double DefaultMinPsnr = 30;

    /// <summary>Slowest frame rate assumed when allowing a total-duration difference of one frame.</summary>
    public const double MinimumFrameRate = 10;

    /// <summary>The defaults.</summary>
    public static VerifyOptions Default { get; } = new();

    /// <summary>Segments spot checked per rendition (the same sequence numbers in every rendition); 0 disables spot checks.</summary>
    public int Samples { get; init; } = DefaultSamples;

    /// <summary>Seed of the sample choice, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The source the renditions were made from (file, URL, lavfi:GRAPH or pass-through options); null: compare with the top rendition of a ladder.</summary>
    public string? Source { get; init; }

    /// <summary>The content metric.</summary>
    public ContentMetric Metric { get; init; } = ContentMetric.Ssim;

    /// <summary>Lowest SSIM accepted.</summary>
    public double MinSsim { get; init; } = DefaultMinSsim;

    /// <summary>Lowest PSNR accepted, in dB.</summary>
    public double MinPsnr { get; init; } = DefaultMinPsnr;

    /// <summary>How far segment starts, durations and keyframes may differ across renditions and from the playlist, in seconds.</summary>
    public double TimingToleranceSeconds { get; init; } = 0.1;
}
