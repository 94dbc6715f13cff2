using Shoal.Engine.Congestion;

namespace Shoal.Engine.Channels;

/// <summary>Timers, sizes and congestion control of a <see cref="PeerChannel"/>.</summary>
public sealed record ChannelOptions
{
    /// <summary>UDP payload budget per datagram (PPIO's 1350 bytes, SEAMS.md): one 1 KiB DATA plus control messages.</summary>
    public int MaxDatagramSize { get; init; } = 1350;

    /// <summary>First wait for a HANDSHAKE reply; doubled on each retry.</summary>
    public TimeSpan HandshakeRetryInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>HANDSHAKE datagrams sent before the initiator gives up.</summary>
    public int HandshakeAttempts { get; init; } = 6;

    /// <summary>How long a responder waits for the initiator's first datagram on the new channel.</summary>
    public TimeSpan HalfOpenTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>RFC 7574 §8.14: a keep-alive is sent when nothing else was sent for this long.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Dead-peer detection: the channel closes when nothing was received for this long (several keep-alives).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary>Acknowledge at once after this many datagrams with DATA (as TCP's delayed ACK does every second segment).</summary>
    public int AckEveryDatagrams { get; init; } = 2;

    /// <summary>The longest a received DATA waits for its ACK (it rides along sooner with anything sent).</summary>
    public TimeSpan MaxAckDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// A DATA is declared lost once this many DATA sent after it were acknowledged (TCP's three duplicate ACKs,
    /// RFC 5681 §3.2, counted in transmissions as QUIC does, RFC 9002 §6.1.1).
    /// </summary>
    public int ReorderingThreshold { get; init; } = 3;

    /// <summary>Application control messages waiting to be sent; past this the oldest are dropped (they are unreliable, RFC 7574 §3).</summary>
    public int MaxQueuedControlMessages { get; init; } = 4096;

    /// <summary>Received-chunk ranges remembered for duplicate suppression; past this the oldest ranges are forgotten.</summary>
    public int MaxRememberedRanges { get; init; } = 65_536;

    /// <summary>Window over which send and receive rates are averaged.</summary>
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>RFC 6298 timer settings.</summary>
    public RttOptions Rtt { get; init; } = RttOptions.Default;

    /// <summary>RFC 6817 settings of the default congestion controller.</summary>
    public LedbatOptions Ledbat { get; init; } = LedbatOptions.Default;

    /// <summary>Makes each channel's congestion controller; LEDBAT unless a test or benchmark says otherwise.</summary>
    public Func<ICongestionController>? CongestionControllerFactory { get; init; }

    public static ChannelOptions Default { get; } = new();

    internal ICongestionController CreateCongestionController() =>
        CongestionControllerFactory?.Invoke() ?? new LedbatController(Ledbat);
}
