namespace Shoal.Engine.Channels;

/// <summary>A snapshot of one <see cref="PeerChannel"/>'s measurements, for the scheduler's neighbour choice and for metrics.</summary>
public readonly record struct ChannelStatistics
{
    public ChannelState State { get; init; }

    /// <summary>RFC 6298 SRTT, or null before the first sample.</summary>
    public TimeSpan? SmoothedRtt { get; init; }

    /// <summary>The current retransmission time-out.</summary>
    public TimeSpan Rto { get; init; }

    /// <summary>The congestion window in bytes.</summary>
    public long CongestionWindow { get; init; }

    /// <summary>Bytes of DATA datagrams sent and not yet acknowledged (nor declared lost).</summary>
    public long BytesInFlight { get; init; }

    /// <summary>DATA content bytes waiting for the window.</summary>
    public long BytesQueued { get; init; }

    /// <summary>Recent sending rate of DATA content, bytes per second (first transmissions only).</summary>
    public double SendRate { get; init; }

    /// <summary>Recent receiving rate of new DATA content, bytes per second.</summary>
    public double ReceiveRate { get; init; }

    /// <summary>LEDBAT's measured queuing delay, when LEDBAT is the controller and has samples.</summary>
    public TimeSpan? QueuingDelay { get; init; }

    public long DatagramsSent { get; init; }

    public long DatagramsReceived { get; init; }

    public long BytesSent { get; init; }

    public long BytesReceived { get; init; }

    /// <summary>DATA messages sent for the first time.</summary>
    public long DataSent { get; init; }

    /// <summary>DATA messages sent again after a loss or time-out.</summary>
    public long DataRetransmitted { get; init; }

    /// <summary>DATA messages acknowledged by the peer.</summary>
    public long DataAcknowledged { get; init; }

    /// <summary>New DATA messages delivered to the owner.</summary>
    public long DataDelivered { get; init; }

    /// <summary>DATA messages received again and dropped (acknowledged, not delivered twice).</summary>
    public long DuplicateDataReceived { get; init; }

    /// <summary>Datagrams or messages that could not be decoded.</summary>
    public long MalformedReceived { get; init; }
}
