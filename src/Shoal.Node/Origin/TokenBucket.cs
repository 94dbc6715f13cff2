namespace Shoal.Node.Origin;

/// <summary>
/// A token bucket shared by every response of a server, so that a rate limit applies to the server as a whole
/// rather than per connection. Callers reserve bytes before sending them; a reservation that drives the bucket
/// below zero waits (on the <see cref="TimeProvider"/>) until the debt is repaid, so concurrent senders queue
/// in the order they reserved.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _bytesPerSecond;
    private readonly double _capacity;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _lastTimestamp;

    public TokenBucket(double bytesPerSecond, double capacityBytes, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _bytesPerSecond = bytesPerSecond;
        _capacity = capacityBytes;
        _tokens = capacityBytes;
        _lastTimestamp = time.GetTimestamp();
    }

    public double BytesPerSecond => _bytesPerSecond;

    /// <summary>Takes <paramref name="bytes"/> tokens and returns how long the caller must wait before sending them.</summary>
    public TimeSpan Reserve(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            Refill();
            _tokens -= bytes;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> and waits until they may be sent.</summary>
    public async ValueTask ConsumeAsync(int bytes, CancellationToken cancellationToken)
    {
        var wait = Reserve(bytes);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastTimestamp, now);
        _lastTimestamp = now;
        _tokens = Math.Min(_capacity, _tokens + (elapsed.TotalSeconds * _bytesPerSecond));
    }
}
