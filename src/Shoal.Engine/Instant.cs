namespace Shoal.Engine;

/// <summary>
/// A point on the engine's clock, in microseconds since an origin the driver chooses; the engine never reads a clock,
/// every input carries the current <see cref="Instant"/>.
/// </summary>
/// <remarks>
/// Only differences between instants of one driver mean anything. The real driver counts from its start
/// (<see cref="System.TimeProvider.GetTimestamp"/>), the simulator from zero. Durations are plain <see cref="TimeSpan"/>s.
/// </remarks>
public readonly record struct Instant(long Microseconds) : IComparable<Instant>
{
    /// <summary>The driver's origin.</summary>
    public static Instant Zero => default;

    /// <summary>Later than any instant a driver will reach: "never" for wake-ups.</summary>
    public static Instant MaxValue => new(long.MaxValue);

    /// <summary>Earlier than any instant a driver will reach.</summary>
    public static Instant MinValue => new(long.MinValue);

    public static Instant FromMilliseconds(double milliseconds) => new((long)(milliseconds * 1000));

    public static Instant FromSeconds(double seconds) => new((long)(seconds * 1_000_000));

    public double TotalSeconds => Microseconds / 1_000_000.0;

    public int CompareTo(Instant other) => Microseconds.CompareTo(other.Microseconds);

    public static Instant operator +(Instant instant, TimeSpan duration) => new(Saturate(instant.Microseconds, ToMicroseconds(duration)));

    public static Instant operator -(Instant instant, TimeSpan duration) => new(Saturate(instant.Microseconds, -ToMicroseconds(duration)));

    public static TimeSpan operator -(Instant later, Instant earlier) => TimeSpan.FromMicroseconds(later.Microseconds - earlier.Microseconds);

    public static bool operator <(Instant left, Instant right) => left.Microseconds < right.Microseconds;

    public static bool operator >(Instant left, Instant right) => left.Microseconds > right.Microseconds;

    public static bool operator <=(Instant left, Instant right) => left.Microseconds <= right.Microseconds;

    public static bool operator >=(Instant left, Instant right) => left.Microseconds >= right.Microseconds;

    /// <summary>The earlier of two instants.</summary>
    public static Instant Min(Instant a, Instant b) => a <= b ? a : b;

    /// <summary>The earlier of two optional wake-ups, where null means "no wake-up wanted".</summary>
    public static Instant? Earliest(Instant? a, Instant? b) => a is null ? b : b is null ? a : Min(a.Value, b.Value);

    public static long ToMicroseconds(TimeSpan duration) => duration.Ticks / TimeSpan.TicksPerMicrosecond;

    public override string ToString() => $"{Microseconds / 1_000_000.0:0.000000}s";

    // Wake-ups use MaxValue as "never"; adding a time-out to it must not wrap into the past.
    private static long Saturate(long a, long b)
    {
        var sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0)
        {
            return a < 0 ? long.MinValue : long.MaxValue;
        }

        return sum;
    }
}
