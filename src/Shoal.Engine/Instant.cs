namespace Shoal.Engine;

/// <summary>
/// A point on the engine's clock in microseconds, handed in by the driver (the engine never reads a clock).
/// Placeholder until the transport helper's Shoal.Engine.Instant lands in main.
/// </summary>
internal readonly record struct Instant(long Microseconds) : IComparable<Instant>
{
    public static Instant Zero => default;

    public static Instant FromSeconds(double seconds) => new((long)Math.Round(seconds * 1_000_000));

    public double Seconds => Microseconds / 1_000_000.0;

    public int CompareTo(Instant other) => Microseconds.CompareTo(other.Microseconds);

    public static Instant operator +(Instant at, TimeSpan span) => new(at.Microseconds + span.Ticks / 10);

    public static Instant operator -(Instant at, TimeSpan span) => new(at.Microseconds - span.Ticks / 10);

    public static TimeSpan operator -(Instant a, Instant b) => TimeSpan.FromTicks((a.Microseconds - b.Microseconds) * 10);

    public static bool operator <(Instant a, Instant b) => a.Microseconds < b.Microseconds;

    public static bool operator >(Instant a, Instant b) => a.Microseconds > b.Microseconds;

    public static bool operator <=(Instant a, Instant b) => a.Microseconds <= b.Microseconds;

    public static bool operator >=(Instant a, Instant b) => a.Microseconds >= b.Microseconds;

    public override string ToString() => $"{Seconds:0.000000}s";
}
