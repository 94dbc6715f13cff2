using Shoal.Engine.Congestion;

namespace Shoal.Engine.Tests.Congestion;

public sealed class LedbatControllerTests
{
    private const int Mss = 1045;
    private static readonly LedbatOptions NoSlowStart = new() { SlowStart = false };

    [Fact]
    public void Window_starts_at_the_initial_window()
    {
        var ledbat = new LedbatController(NoSlowStart);

        Assert.Equal(2 * Mss, ledbat.CongestionWindow);
    }

    [Fact]
    public void Under_target_the_window_grows_by_about_one_segment_per_window_acknowledged()
    {
        var ledbat = new LedbatController(NoSlowStart);
        var now = Instant.Zero;
        ledbat.OnAck(now, 0, 0, TimeSpan.FromMilliseconds(20));

        // A full window acknowledged with no queuing delay: +GAIN * MSS (RFC 6817 §2.4.2).
        var before = ledbat.CongestionWindow;
        for (var i = 0; i < 2; i++)
        {
            ledbat.OnAck(now, Mss, before, TimeSpan.FromMilliseconds(20));
        }

        Assert.InRange(ledbat.CongestionWindow - before, Mss * 8 / 10, Mss);
    }

    [Fact]
    public void Over_target_the_window_shrinks()
    {
        var ledbat = new LedbatController(NoSlowStart);
        var now = Instant.Zero;
        ledbat.OnAck(now, 0, 0, TimeSpan.FromMilliseconds(20));
        for (var i = 0; i < 200; i++)
        {
            ledbat.OnAck(now, Mss, ledbat.CongestionWindow, TimeSpan.FromMilliseconds(20));
        }

        var grown = ledbat.CongestionWindow;
        for (var i = 0; i < 8; i++)
        {
            // Queuing delay 300 ms = 3 x target: off_target = -2.
            ledbat.OnAck(now, Mss, grown, TimeSpan.FromMilliseconds(320));
        }

        Assert.True(ledbat.CongestionWindow < grown, $"{ledbat.CongestionWindow} should be below {grown}");
        Assert.Equal(TimeSpan.FromMilliseconds(300), ledbat.QueuingDelay);
    }

    [Fact]
    public void Clock_offset_cancels_out_of_the_queuing_delay()
    {
        var ledbat = new LedbatController(NoSlowStart);
        var offset = TimeSpan.FromHours(-5);

        ledbat.OnAck(Instant.Zero, 0, 0, offset + TimeSpan.FromMilliseconds(30));
        ledbat.OnAck(Instant.Zero, 0, 0, offset + TimeSpan.FromMilliseconds(70));
        for (var i = 0; i < 4; i++)
        {
            ledbat.OnAck(Instant.Zero, 0, 0, offset + TimeSpan.FromMilliseconds(70));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(40), ledbat.QueuingDelay);
    }

    [Fact]
    public void Base_delay_forgets_minima_older_than_the_history()
    {
        var options = NoSlowStart with { BaseHistory = 3 };
        var ledbat = new LedbatController(options);
        ledbat.OnAck(Instant.Zero, 0, 0, TimeSpan.FromMilliseconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(10), ledbat.BaseDelay);

        // The route changed: the base is now 50 ms. After BASE_HISTORY minutes the old minimum is gone.
        for (var minute = 1; minute <= 3; minute++)
        {
            ledbat.OnAck(Instant.FromSeconds(60 * minute), 0, 0, TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(50), ledbat.BaseDelay);
    }

    [Fact]
    public void Loss_halves_the_window_but_never_below_the_minimum()
    {
        var ledbat = new LedbatController(NoSlowStart);
        for (var i = 0; i < 500; i++)
        {
            ledbat.OnAck(Instant.Zero, Mss, ledbat.CongestionWindow, TimeSpan.FromMilliseconds(5));
        }

        var grown = ledbat.CongestionWindow;
        ledbat.OnCongestionEvent(Instant.Zero);
        Assert.Equal(grown / 2, ledbat.CongestionWindow, 1.0);

        for (var i = 0; i < 40; i++)
        {
            ledbat.OnCongestionEvent(Instant.Zero);
        }

        Assert.Equal(2 * Mss, ledbat.CongestionWindow);
    }

    [Fact]
    public void Window_does_not_grow_beyond_flight_size_plus_allowed_increase_when_application_limited()
    {
        var ledbat = new LedbatController(NoSlowStart);
        for (var i = 0; i < 1000; i++)
        {
            ledbat.OnAck(Instant.Zero, Mss, Mss, TimeSpan.FromMilliseconds(5));
        }

        Assert.True(ledbat.CongestionWindow <= 2 * Mss, $"window {ledbat.CongestionWindow}");
    }

    [Fact]
    public void Slow_start_doubles_per_window_then_stops_when_delay_builds()
    {
        var ledbat = new LedbatController(LedbatOptions.Default);
        var window = ledbat.CongestionWindow;
        ledbat.OnAck(Instant.Zero, window, window, TimeSpan.FromMilliseconds(5));
        Assert.Equal(2 * window, ledbat.CongestionWindow);
        Assert.True(ledbat.InSlowStart);

        ledbat.OnAck(Instant.Zero, Mss, ledbat.CongestionWindow, TimeSpan.FromMilliseconds(5 + 60));
        for (var i = 0; i < 4; i++)
        {
            ledbat.OnAck(Instant.Zero, Mss, ledbat.CongestionWindow, TimeSpan.FromMilliseconds(5 + 60));
        }

        Assert.False(ledbat.InSlowStart);
    }

    [Fact]
    public void Timeout_collapses_the_window_to_the_minimum()
    {
        var ledbat = new LedbatController(LedbatOptions.Default);
        for (var i = 0; i < 50; i++)
        {
            ledbat.OnAck(Instant.Zero, Mss, ledbat.CongestionWindow, TimeSpan.FromMilliseconds(5));
        }

        ledbat.OnTimeout(Instant.Zero);

        Assert.Equal(2 * Mss, ledbat.CongestionWindow);
    }
}
