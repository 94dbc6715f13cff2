namespace Shoal.Engine.Congestion;

/// <summary>
/// What a channel's reliability layer asks of a congestion controller: a window of bytes that may be in flight,
/// fed by acknowledgements, delay samples, losses and time-outs. LEDBAT is Shoal's; tests plug a loss-based one.
/// </summary>
/// <remarks>
/// The channel reports at most one congestion event per round trip (a loss of a chunk sent before the last
/// reduction does not reduce again), as TCP's fast recovery does (RFC 5681 §3.2).
/// </remarks>
public interface ICongestionController
{
    /// <summary>Bytes of DATA datagrams that may be unacknowledged at once.</summary>
    long CongestionWindow { get; }

    /// <summary>
    /// New bytes were acknowledged. <paramref name="bytesInFlight"/> is the flight size before the acknowledgement;
    /// <paramref name="oneWayDelay"/> the receiver's one-way delay sample (RFC 7574 ACK), which carries the clock
    /// offset between the peers and so is only meaningful relative to other samples.
    /// </summary>
    void OnAck(Instant now, long bytesAcked, long bytesInFlight, TimeSpan? oneWayDelay);

    /// <summary>A chunk was declared lost (RFC 6817 §2.4.1: react at most once per RTT; the channel filters).</summary>
    void OnCongestionEvent(Instant now);

    /// <summary>The retransmission timer expired: no acknowledgement for a whole RTO.</summary>
    void OnTimeout(Instant now);
}
