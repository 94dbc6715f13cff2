namespace Shoal.Node.Storage;

/// <summary>
/// A rolling bytes-per-hour allowance for disk writes: a bucket of one hour's budget that refills continuously, so
/// the long-run average never exceeds the budget however bursty the writes.
/// </summary>
public sealed class WriteBudget
{
    private readonly TimeProvider _time;
    private readonly double _bytesPerHour;
    private readonly Lock _gate = new();
    private double _available;
    private long _last;

    public WriteBudget(long bytesPerHour, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerHour);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _bytesPerHour = bytesPerHour;
        _available = bytesPerHour;
        _last = time.GetTimestamp();
    }

    public long Available
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return (long)_available;
            }
        }
    }

    public bool TryTake(long bytes)
    {
        lock (_gate)
        {
            Refill();
            if (_available < bytes)
            {
                return false;
            }

            _available -= bytes;
            return true;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _available = Math.Min(_bytesPerHour, _available + (_time.GetElapsedTime(_last, now).TotalHours * _bytesPerHour));
        _last = now;
    }
}
