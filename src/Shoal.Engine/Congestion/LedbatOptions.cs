namespace Shoal.Engine.Congestion;

/// <summary>Settings of <see cref="LedbatController"/>, named after RFC 6817 §2.5's parameters.</summary>
public sealed record LedbatOptions
{
    /// <summary>A DATA datagram of one 1 KiB chunk is 1045 bytes (SEAMS.md): the window counts in these.</summary>
    public int MaxSegmentSize { get; init; } = 1045;

    /// <summary>RFC 6817 TARGET: the queuing delay LEDBAT aims to add; 100 ms is the RFC's upper bound.</summary>
    public TimeSpan Target { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>RFC 6817 GAIN: at most 1, so LEDBAT never ramps up faster than TCP's congestion avoidance.</summary>
    public double Gain { get; init; } = 1.0;

    /// <summary>RFC 6817 BASE_HISTORY: how many one-minute minima of the one-way delay are remembered.</summary>
    public int BaseHistory { get; init; } = 10;

    /// <summary>RFC 6817 §3.4.2: the length of one base-delay bucket.</summary>
    public TimeSpan BaseDelayInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>RFC 6817 CURRENT_FILTER: the current delay is the minimum of this many latest samples.</summary>
    public int CurrentFilter { get; init; } = 4;

    /// <summary>RFC 6817 INIT_CWND, in segments.</summary>
    public int InitialWindowSegments { get; init; } = 2;

    /// <summary>RFC 6817 MIN_CWND, in segments.</summary>
    public int MinWindowSegments { get; init; } = 2;

    /// <summary>RFC 6817 ALLOWED_INCREASE, in segments: the window never grows more than this beyond the flight size.</summary>
    public int AllowedIncreaseSegments { get; init; } = 1;

    /// <summary>A ceiling on the window, so an idle or delay-blind path cannot grow it without bound.</summary>
    public long MaxWindowBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Start with TCP's slow start (as libtorrent's uTP does; RFC 6817 §2.4.2 only forbids ramping faster than TCP),
    /// leaving it on the first loss or once the queuing delay passes <see cref="SlowStartExitFraction"/> of the target.
    /// </summary>
    public bool SlowStart { get; init; } = true;

    /// <summary>The share of <see cref="Target"/> at which slow start ends.</summary>
    public double SlowStartExitFraction { get; init; } = 0.5;

    public static LedbatOptions Default { get; } = new();
}
