namespace Shoal.Engine.Congestion;

/// <summary>
/// Round-trip time estimation and the retransmission time-out of RFC 6298: smoothed RTT, RTT variation, an RTO
/// clamped to [min, max] and doubled on each time-out until a fresh sample arrives.
/// </summary>
/// <remarks>
/// Callers follow Karn's rule (RFC 6298 §3): no sample from a chunk that was sent more than once.
/// </remarks>
public sealed class RttEstimator
{
    private readonly RttOptions _options;
    private TimeSpan _baseRto;
    private int _backoffExponent;

    public RttEstimator(RttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _baseRto = options.InitialRto;
    }

    /// <summary>Whether at least one RTT sample has been taken.</summary>
    public bool HasSample { get; private set; }

    /// <summary>SRTT, or zero before the first sample.</summary>
    public TimeSpan SmoothedRtt { get; private set; }

    /// <summary>RTTVAR, or zero before the first sample.</summary>
    public TimeSpan RttVariation { get; private set; }

    /// <summary>The most recent sample.</summary>
    public TimeSpan LatestRtt { get; private set; }

    /// <summary>The smallest sample seen.</summary>
    public TimeSpan MinRtt { get; private set; } = TimeSpan.MaxValue;

    /// <summary>How many consecutive time-outs have doubled the RTO (RFC 6298 §5.5).</summary>
    public int BackoffCount => _backoffExponent;

    /// <summary>The current retransmission time-out, back-off included.</summary>
    public TimeSpan Rto
    {
        get
        {
            var ticks = _baseRto.Ticks;
            for (var i = 0; i < _backoffExponent && ticks < _options.MaxRto.Ticks; i++)
            {
                ticks *= 2;
            }

            return TimeSpan.FromTicks(Math.Min(ticks, _options.MaxRto.Ticks));
        }
    }

    /// <summary>Takes one RTT measurement (RFC 6298 §2.2 and §2.3) and clears the back-off (§5.7).</summary>
    public void AddSample(TimeSpan rtt)
    {
        if (rtt < TimeSpan.Zero)
        {
            return;
        }

        LatestRtt = rtt;
        if (rtt < MinRtt)
        {
            MinRtt = rtt;
        }

        if (!HasSample)
        {
            SmoothedRtt = rtt;
            RttVariation = rtt / 2;
            HasSample = true;
        }
        else
        {
            var deviation = (SmoothedRtt - rtt).Duration();
            RttVariation = TimeSpan.FromTicks((long)(((1 - _options.Beta) * RttVariation.Ticks) + (_options.Beta * deviation.Ticks)));
            SmoothedRtt = TimeSpan.FromTicks((long)(((1 - _options.Alpha) * SmoothedRtt.Ticks) + (_options.Alpha * rtt.Ticks)));
        }

        var variance = TimeSpan.FromTicks(Math.Max(_options.ClockGranularity.Ticks, _options.K * RttVariation.Ticks));
        _baseRto = Clamp(SmoothedRtt + variance);
        _backoffExponent = 0;
    }

    /// <summary>RFC 6298 §5.5: the retransmission timer expired, so back the timer off.</summary>
    public void OnTimeout()
    {
        if (Rto < _options.MaxRto)
        {
            _backoffExponent++;
        }
    }

    private TimeSpan Clamp(TimeSpan rto) =>
        rto < _options.MinRto ? _options.MinRto : rto > _options.MaxRto ? _options.MaxRto : rto;
}
