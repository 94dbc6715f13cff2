using Shoal.Engine.Congestion;

namespace Shoal.Engine.Tests.Congestion;

public sealed class RttEstimatorTests
{
    [Fact]
    public void Before_any_sample_the_rto_is_the_initial_one()
    {
        var rtt = new RttEstimator(RttOptions.Default);

        Assert.False(rtt.HasSample);
        Assert.Equal(TimeSpan.FromSeconds(1), rtt.Rto);
    }

    [Fact]
    public void First_sample_sets_srtt_and_half_of_it_as_variation_per_rfc6298_2_2()
    {
        var rtt = new RttEstimator(RttOptions.Default);

        rtt.AddSample(TimeSpan.FromMilliseconds(100));

        Assert.Equal(TimeSpan.FromMilliseconds(100), rtt.SmoothedRtt);
        Assert.Equal(TimeSpan.FromMilliseconds(50), rtt.RttVariation);
        Assert.Equal(TimeSpan.FromMilliseconds(300), rtt.Rto);
    }

    [Fact]
    public void Later_samples_are_smoothed_with_alpha_and_beta_per_rfc6298_2_3()
    {
        var rtt = new RttEstimator(RttOptions.Default);
        rtt.AddSample(TimeSpan.FromMilliseconds(100));

        rtt.AddSample(TimeSpan.FromMilliseconds(200));

        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5.
        Assert.Equal(112.5, rtt.SmoothedRtt.TotalMilliseconds, 3);
        Assert.Equal(62.5, rtt.RttVariation.TotalMilliseconds, 3);
        Assert.Equal(362.5, rtt.Rto.TotalMilliseconds, 3);
    }

    [Fact]
    public void Rto_is_clamped_to_the_minimum()
    {
        var rtt = new RttEstimator(RttOptions.Default);

        rtt.AddSample(TimeSpan.FromMilliseconds(1));

        Assert.Equal(RttOptions.Default.MinRto, rtt.Rto);
    }

    [Fact]
    public void Timeouts_double_the_rto_up_to_the_maximum_and_a_sample_clears_the_backoff()
    {
        var rtt = new RttEstimator(RttOptions.Default);
        rtt.AddSample(TimeSpan.FromMilliseconds(100));

        rtt.OnTimeout();
        Assert.Equal(TimeSpan.FromMilliseconds(600), rtt.Rto);
        rtt.OnTimeout();
        Assert.Equal(TimeSpan.FromMilliseconds(1200), rtt.Rto);
        for (var i = 0; i < 20; i++)
        {
            rtt.OnTimeout();
        }

        Assert.Equal(RttOptions.Default.MaxRto, rtt.Rto);

        rtt.AddSample(TimeSpan.FromMilliseconds(100));
        Assert.True(rtt.Rto < TimeSpan.FromSeconds(1));
        Assert.Equal(0, rtt.BackoffCount);
    }
}
