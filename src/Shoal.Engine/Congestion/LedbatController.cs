namespace Shoal.Engine.Congestion;

/// <summary>
/// Low Extra Delay Background Transport (RFC 6817): a congestion window that grows while the one-way queuing delay
/// stays under a target and shrinks in proportion as it rises above, so Shoal's uploads yield to the viewer's
/// other traffic (as BitTorrent's uTP does).
/// </summary>
/// <remarks>
/// One-way delays come from RFC 7574 ACKs (receiver's arrival time minus the DATA timestamp); the two clocks'
/// offset is in every sample and cancels out against the base delay, the minimum seen over
/// <see cref="LedbatOptions.BaseHistory"/> intervals (RFC 6817 §3.4.2).
/// </remarks>
public sealed class LedbatController : ICongestionController
{
    private readonly LedbatOptions _options;
    private readonly long[] _baseDelays;
    private readonly long[] _currentDelays;
    private int _baseIndex;
    private int _currentCount;
    private int _currentIndex;
    private Instant _lastRollover;
    private bool _hasDelay;
    private double _cwnd;
    private double _slowStartThreshold;

    public LedbatController(LedbatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Target <= TimeSpan.Zero || options.Gain <= 0 || options.BaseHistory < 1 || options.CurrentFilter < 1)
        {
            throw new ArgumentException("LEDBAT needs a positive target and gain and at least one history and filter slot.", nameof(options));
        }

        _options = options;
        _baseDelays = new long[options.BaseHistory];
        _currentDelays = new long[options.CurrentFilter];
        Array.Fill(_baseDelays, long.MaxValue);
        _cwnd = options.InitialWindowSegments * options.MaxSegmentSize;
        _slowStartThreshold = options.SlowStart ? options.MaxWindowBytes : 0;
    }

    public LedbatController()
        : this(LedbatOptions.Default)
    {
    }

    public long CongestionWindow => (long)_cwnd;

    /// <summary>Whether the controller is still in its initial slow start.</summary>
    public bool InSlowStart => _cwnd < _slowStartThreshold;

    /// <summary>The base one-way delay (clock offset included), or null before any sample.</summary>
    public TimeSpan? BaseDelay => _hasDelay ? TimeSpan.FromMicroseconds(MinOf(_baseDelays, _baseDelays.Length)) : null;

    /// <summary>The filtered current one-way delay (clock offset included), or null before any sample.</summary>
    public TimeSpan? CurrentDelay => _hasDelay ? TimeSpan.FromMicroseconds(MinOf(_currentDelays, _currentCount)) : null;

    /// <summary>RFC 6817 §2.4.2 queuing_delay = current delay − base delay.</summary>
    public TimeSpan QueuingDelay => TimeSpan.FromMicroseconds(QueuingMicroseconds);

    // Samples are at most ±TimeSpan.MaxValue apart, so the difference fits a long but not always a TimeSpan.
    private long QueuingMicroseconds => _hasDelay
        ? Math.Min(MinOf(_currentDelays, _currentCount) - MinOf(_baseDelays, _baseDelays.Length), MaxMicroseconds)
        : 0;

    private static long MaxMicroseconds => TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond;

    public void OnAck(Instant now, long bytesAcked, long bytesInFlight, TimeSpan? oneWayDelay)
    {
        if (oneWayDelay is { } delay)
        {
            AddDelaySample(now, Instant.ToMicroseconds(delay));
        }

        if (bytesAcked <= 0)
        {
            return;
        }

        var mss = _options.MaxSegmentSize;
        var target = (double)Instant.ToMicroseconds(_options.Target);
        var queuing = (double)QueuingMicroseconds;
        if (InSlowStart)
        {
            if (queuing > target * _options.SlowStartExitFraction)
            {
                _slowStartThreshold = 0;
            }
            else
            {
                // TCP slow start (RFC 5681 §3.1), still bounded by what the sender actually used.
                _cwnd = Math.Min(_cwnd + bytesAcked, Math.Max(_cwnd, 2.0 * bytesInFlight));
                Clamp();
                return;
            }
        }

        // RFC 6817 §2.4.2.
        var offTarget = (target - queuing) / target;
        _cwnd += _options.Gain * offTarget * bytesAcked * mss / _cwnd;
        var maxAllowed = bytesInFlight + ((double)_options.AllowedIncreaseSegments * mss);
        _cwnd = Math.Min(_cwnd, Math.Max(maxAllowed, MinWindow));
        Clamp();
    }

    public void OnCongestionEvent(Instant now)
    {
        // RFC 6817 §2.4.1: on loss, halve at most once per RTT (the channel filters), never below MIN_CWND.
        _cwnd /= 2;
        _slowStartThreshold = 0;
        Clamp();
    }

    public void OnTimeout(Instant now)
    {
        // RFC 6817 §2.4.2: no acknowledgement for a whole RTO; restart from the minimum window, and slow start back
        // to half the window that timed out.
        _slowStartThreshold = _options.SlowStart ? Math.Max(_cwnd / 2, MinWindow) : 0;
        _cwnd = MinWindow;
    }

    private double MinWindow => (double)_options.MinWindowSegments * _options.MaxSegmentSize;

    private void Clamp() => _cwnd = Math.Clamp(_cwnd, MinWindow, Math.Max(MinWindow, _options.MaxWindowBytes));

    private void AddDelaySample(Instant now, long delayMicroseconds)
    {
        // RFC 6817 §3.4.2 update_base_delay: one minimum per interval, BASE_HISTORY intervals remembered.
        if (!_hasDelay)
        {
            _lastRollover = now;
            _hasDelay = true;
        }
        else if (now - _lastRollover >= _options.BaseDelayInterval)
        {
            _lastRollover = now;
            _baseIndex = (_baseIndex + 1) % _baseDelays.Length;
            _baseDelays[_baseIndex] = long.MaxValue;
        }

        if (delayMicroseconds < _baseDelays[_baseIndex])
        {
            _baseDelays[_baseIndex] = delayMicroseconds;
        }

        // RFC 6817 §3.4.2 update_current_delay with the minimum over CURRENT_FILTER samples as the filter.
        _currentDelays[_currentIndex] = delayMicroseconds;
        _currentIndex = (_currentIndex + 1) % _currentDelays.Length;
        _currentCount = Math.Min(_currentCount + 1, _currentDelays.Length);
    }

    private static long MinOf(long[] values, int count)
    {
        var min = long.MaxValue;
        for (var i = 0; i < count; i++)
        {
            min = Math.Min(min, values[i]);
        }

        return min;
    }
}
