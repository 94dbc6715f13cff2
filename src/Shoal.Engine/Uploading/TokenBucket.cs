namespace Shoal.Engine.Uploading;

/// <summary>
/// The upload limit: a token bucket refilled from the instants the driver hands in (never from a clock), with a
/// bounded burst. Without a rate it admits everything.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double? _rate;
    private readonly double _capacity;
    private double _tokens;
    private Instant _last;

    public TokenBucket(double? bytesPerSecond, TimeSpan burst, Instant now)
    {
        _rate = bytesPerSecond;
        _capacity = bytesPerSecond is double r ? Math.Max(r * burst.TotalSeconds, 1500) : double.PositiveInfinity;
        _tokens = _capacity;
        _last = now;
    }

    public bool TryConsume(Instant now, int bytes)
    {
        Refill(now);
        if (_rate is null) return true;
        if (_tokens < bytes) return false;
        _tokens -= bytes;
        return true;
    }

    /// <summary>When <paramref name="bytes"/> will be available, or <paramref name="now"/> if they already are.</summary>
    public Instant AvailableAt(Instant now, int bytes)
    {
        Refill(now);
        if (_rate is not double rate || _tokens >= bytes) return now;
        return now + TimeSpan.FromSeconds((bytes - _tokens) / rate);
    }

    private void Refill(Instant now)
    {
        if (_rate is double rate && now > _last) _tokens = Math.Min(_capacity, _tokens + (now - _last).TotalSeconds * rate);
        if (now > _last) _last = now;
    }
}
