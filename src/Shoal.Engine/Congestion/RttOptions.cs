namespace Shoal.Engine.Congestion;

/// <summary>Settings of the retransmission timer (RFC 6298), with the RFC's defaults except where noted.</summary>
public sealed record RttOptions
{
    /// <summary>RFC 6298 §2.1: the RTO before any RTT sample.</summary>
    public TimeSpan InitialRto { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// RFC 6298 §2.4 asks for 1 s; like Linux TCP and uTP we take 200 ms so a lost chunk of live video is resent
    /// in time to matter. The scheduler's own deadline (cancel and ask elsewhere) covers the rest.
    /// </summary>
    public TimeSpan MinRto { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>RFC 6298 §2.5: an upper bound, at least 60 s.</summary>
    public TimeSpan MaxRto { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>RFC 6298 §2: the clock granularity G.</summary>
    public TimeSpan ClockGranularity { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>RFC 6298 §2: alpha = 1/8.</summary>
    public double Alpha { get; init; } = 1.0 / 8;

    /// <summary>RFC 6298 §2: beta = 1/4.</summary>
    public double Beta { get; init; } = 1.0 / 4;

    /// <summary>RFC 6298 §2: K = 4.</summary>
    public int K { get; init; } = 4;

    public static RttOptions Default { get; } = new();
}
