using Shoal.Media.Verification;

namespace Shoal.Media.Tests.Verification;

public sealed class ScoreParsingTests
{
    [Fact]
    public void Ssim_and_psnr_summaries_are_read_from_ffmpegs_log()
    {
        string[] ssim = ["frame=  60 fps=0.0", "[Parsed_ssim_4 @ 0x55] SSIM Y:0.991184 (20.547897) U:0.995 (23.1) V:0.994 (22.5) All:0.992605 (21.310193)"];
        Assert.Equal(0.992605, MediaVerifier.ParseScore(ssim, ContentMetric.Ssim));
        string[] psnr = ["[Parsed_psnr_4 @ 0x55] PSNR y:38.1 u:42.0 v:41.9 average:39.123456 min:35.0 max:44.0"];
        Assert.Equal(39.123456, MediaVerifier.ParseScore(psnr, ContentMetric.Psnr));
        Assert.Equal(double.PositiveInfinity, MediaVerifier.ParseScore(["PSNR y:inf u:inf v:inf average:inf min:inf max:inf"], ContentMetric.Psnr));
        Assert.Null(MediaVerifier.ParseScore(["nothing here"], ContentMetric.Ssim));
    }
}
