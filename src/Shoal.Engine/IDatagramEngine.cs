using System.Net;

namespace Shoal.Engine;

/// <summary>
/// The sans-IO shape every datagram-speaking engine object shares (a <c>ChannelTable</c>, a <c>Swarm</c>), so the
/// real UDP driver and the packet-level simulator can drive any of them the same way.
/// </summary>
/// <remarks>
/// A driver, after every input (<see cref="Receive"/> or <see cref="WakeUp"/>), calls <see cref="TryPollTransmit"/>
/// until it returns false, then (re)arms one timer for <see cref="NextWakeUp"/>. Addresses are values
/// (<see cref="IPEndPoint"/>); the engine never opens a socket with them, and the simulator uses fake ones.
/// </remarks>
public interface IDatagramEngine
{
    /// <summary>One datagram arrived from <paramref name="from"/>; the span is only valid during the call.</summary>
    void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram);

    /// <summary>Writes the next datagram to send into <paramref name="buffer"/>, or returns false when there is none.</summary>
    bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length);

    /// <summary>When the engine next wants <see cref="WakeUp"/> called, or null when it waits only for input.</summary>
    Instant? NextWakeUp { get; }

    /// <summary>Lets timers that are due fire (retransmission, keep-alive, handshake retries, time-outs).</summary>
    void WakeUp(Instant now);
}
