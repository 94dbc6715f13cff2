namespace Shoal.Media.Publishing;

/// <summary>One rendition of an ABR ladder: its folder name, frame size and bitrates.</summary>
/// <param name="Name">Folder and display name (for example "720p").</param>
/// <param name="Width">Target width in pixels; 0 keeps the source size (the frame is scaled to fit, aspect kept).</param>
/// <param name="Height">Target height in pixels; 0 keeps the source size.</param>
/// <param name="VideoKbps">Average video bitrate in kbit/s.</param>
/// <param name="AudioKbps">AAC bitrate in kbit/s.</param>
public sealed record LadderRung(string Name, int Width, int Height, int VideoKbps, int AudioKbps)
{
    /// <summary>Peak rate allowed over the average, as a factor: a little room for hard scenes, still a capped VBV (Apple HLS authoring spec suggests ≤ 110 %).</summary>
    public const double MaxRateFactor = 1.1;

    /// <summary>Decoder buffer as a multiple of the average rate.</summary>
    public const double BufferFactor = 2.0;

    /// <summary>The default ladder: 720p, 480p and 360p with bitrates in the range of Apple's HLS authoring recommendations.</summary>
    public static IReadOnlyList<LadderRung> DefaultLadder { get; } =
    [
        new("720p", 1280, 720, 2800, 128),
        new("480p", 854, 480, 1400, 96),
        new("360p", 640, 360, 800, 96),
    ];

    /// <summary>A single rendition at the source's frame size.</summary>
    public static LadderRung Source { get; } = new("source", 0, 0, 2500, 128);

    /// <summary>True when the rung keeps the source frame size.</summary>
    public bool KeepsSourceSize => Width <= 0 || Height <= 0;

    /// <summary>The BANDWIDTH a master playlist announces: the peak video rate plus audio, in bit/s (RFC 8216 §4.3.4.2).</summary>
    public long PeakBandwidth => (long)(((VideoKbps * MaxRateFactor) + AudioKbps) * 1000);

    /// <summary>The AVERAGE-BANDWIDTH a master playlist announces, in bit/s.</summary>
    public long AverageBandwidth => (long)(VideoKbps + AudioKbps) * 1000;
}
