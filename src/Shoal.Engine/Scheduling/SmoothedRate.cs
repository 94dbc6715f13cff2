namespace Shoal.Engine.Scheduling;

/// <summary>
/// A byte rate measured over time, smoothed exponentially with a time constant so that bursts and idle gaps decay
/// the same way whatever the sampling pattern.
/// </summary>
internal sealed class SmoothedRate(TimeSpan timeConstant)
{
    private Instant? _last;
    private double _pending;

    /// <summary>The smoothed rate in bytes per second.</summary>
    public double BytesPerSecond { get; private set; }

    public long TotalBytes { get; private set; }

    public void Add(Instant now, long bytes)
    {
        Decay(now);
        _pending += bytes;
        TotalBytes += bytes;
    }

    /// <summary>The rate as seen at <paramref name="now"/> (idle time lowers it).</summary>
    public double RateAt(Instant now)
    {
        Decay(now);
        return BytesPerSecond;
    }

    private void Decay(Instant now)
    {
        if (_last is not { } last)
        {
            _last = now;
            return;
        }
        var elapsed = (now - last).TotalSeconds;
        if (elapsed <= 0) return;
        var alpha = 1 - Math.Exp(-elapsed / timeConstant.TotalSeconds);
        BytesPerSecond += alpha * (_pending / elapsed - BytesPerSecond);
        _pending = 0;
        _last = now;
    }
}
