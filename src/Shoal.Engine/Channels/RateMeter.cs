namespace Shoal.Engine.Channels;

/// <summary>An exponentially weighted rate in bytes per second over a time constant, fed with byte counts at instants.</summary>
internal sealed class RateMeter(TimeSpan window)
{
    private readonly double _tau = Math.Max(window.TotalSeconds, 1e-3);
    private double _rate;
    private Instant _last;
    private bool _started;

    public void Add(Instant now, long bytes)
    {
        Decay(now);
        _rate += bytes / _tau;
    }

    public double Rate(Instant now)
    {
        if (!_started)
        {
            return 0;
        }

        var dt = Math.Max(0, (now - _last).TotalSeconds);
        return _rate * Math.Exp(-dt / _tau);
    }

    private void Decay(Instant now)
    {
        if (_started)
        {
            var dt = Math.Max(0, (now - _last).TotalSeconds);
            if (dt > 0)
            {
                _rate *= Math.Exp(-dt / _tau);
            }
        }

        _started = true;
        _last = now;
    }
}
