namespace Shoal.Engine.Scheduling;

/// <summary>
/// How long the origin takes to answer a range, smoothed over the answers that succeeded (RFC 6298's gain of 1/8), so
/// a range that runs several times longer counts as late: its pieces are then raced on the neighbours instead of
/// waiting out the whole urgent horizon on a request that hangs (the first second of an outage, an overloaded origin).
/// </summary>
internal sealed class OriginTiming(SchedulerSettings settings)
{
    private TimeSpan? _smoothed;

    /// <summary>The smoothed answer time, or null before the first answer.</summary>
    public TimeSpan? Smoothed => _smoothed;

    public void Answered(TimeSpan took)
    {
        if (took < TimeSpan.Zero) return;
        _smoothed = _smoothed is { } s ? s + ((took - s) / 8) : took;
    }

    /// <summary>When a range sent now counts as late: never later than <paramref name="cap"/>, sooner once the origin is measured.</summary>
    public TimeSpan LateAfter(TimeSpan cap)
    {
        if (_smoothed is not { } s) return cap;
        var late = s * settings.OriginLateFactor;
        if (late < settings.MinimumOriginLateness) late = settings.MinimumOriginLateness;
        return late < cap ? late : cap;
    }
}
