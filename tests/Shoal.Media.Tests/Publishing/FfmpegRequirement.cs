using Shoal.Media.Ffmpeg;

namespace Shoal.Media.Tests.Publishing;

/// <summary>The tests that run real ffmpeg skip with this message when it is missing.</summary>
internal static class FfmpegRequirement
{
    public const string SkipMessage = "ffmpeg/ffprobe not installed: run scripts/install-test-deps.sh (apt-get install ffmpeg)";

    public static FfmpegTools? Tools { get; } = FfmpegTools.TryLocate(out var tools, out _) ? tools : null;

    public static FfmpegTools Require() => Tools ?? throw new InvalidOperationException("checked by the caller");

    public static void SkipIfMissing()
    {
        if (Tools is null)
        {
            Assert.Skip(SkipMessage);
        }
    }

    /// <summary>A test source with audio, small and fast to encode: a 320x180 test pattern and a beep.</summary>
    public const string Source = "-f lavfi -i testsrc2=size=320x180:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000";

    /// <summary>Three small renditions: enough to prove alignment and scaling without costing CI much.</summary>
    public static IReadOnlyList<Shoal.Media.Publishing.LadderRung> SmallLadder { get; } =
    [
        new("r180", 320, 180, 600, 64),
        new("r144", 256, 144, 400, 48),
        new("r90", 160, 90, 200, 32),
    ];
}
