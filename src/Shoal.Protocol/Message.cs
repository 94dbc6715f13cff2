using System.Net;

namespace Shoal.Protocol;

/// <summary>
/// One decoded PPSPP message: a view over the datagram it came from (payloads, addresses and the swarm id are
/// slices of it, nothing is copied). Which members mean something depends on <see cref="Type"/>, as listed on
/// each member.
/// </summary>
public readonly ref struct Message
{
    public MessageType Type { get; init; }

    /// <summary>HANDSHAKE: the sender's channel id, to prefix datagrams sent back to it; 0 closes the channel (RFC 7574 §8.4).</summary>
    public uint SourceChannelId { get; init; }

    /// <summary>HANDSHAKE: its protocol options (RFC 7574 §7), built from the option bytes on each call: keep it in a local.</summary>
    public HandshakeOptions Handshake => HandshakeOptionBytes.IsEmpty ? default : HandshakeOptionsCodec.ReadValidated(HandshakeOptionBytes);

    /// <summary>HANDSHAKE: the option list as it came, End option included, already checked by the reader.</summary>
    internal ReadOnlySpan<byte> HandshakeOptionBytes { get; init; }

    /// <summary>DATA, ACK, HAVE, INTEGRITY, SIGNED_INTEGRITY, REQUEST, CANCEL: the chunk specification (RFC 7574 §4).</summary>
    public ChunkSpec Chunks { get; init; }

    /// <summary>
    /// DATA: the sender's clock in microseconds when sent (RFC 7574 §8.6), for LEDBAT's one-way delay.
    /// SIGNED_INTEGRITY: the 64-bit NTP timestamp of the signature (RFC 7574 §8.9, RFC 5905 format).
    /// </summary>
    public ulong Timestamp { get; init; }

    /// <summary>ACK: the one-way delay sample in microseconds (RFC 7574 §8.7), two's complement: clocks are not synchronised, so it may be negative.</summary>
    public long OneWayDelaySample { get; init; }

    /// <summary>
    /// DATA: the content bytes. INTEGRITY: the hash. SIGNED_INTEGRITY: the signature. PEX_REScert: the membership
    /// certificate. Shoal extension: the body.
    /// </summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>PEX_RESv4 / PEX_RESv6: the 4- or 16-byte address, network order (RFC 7574 §8.13).</summary>
    public ReadOnlySpan<byte> Address { get; init; }

    /// <summary>PEX_RESv4 / PEX_RESv6: the UDP port.</summary>
    public ushort Port { get; init; }

    /// <summary>Shoal extension: what the body is.</summary>
    public ShoalExtensionId ExtensionId { get; init; }

    /// <summary>A HANDSHAKE with source channel id 0: the sender closes the channel (RFC 7574 §8.4).</summary>
    public bool IsClose => Type == MessageType.Handshake && SourceChannelId == 0;

    /// <summary>The PEX_RESv4 / PEX_RESv6 peer as an endpoint (allocates; off the hot path).</summary>
    public IPEndPoint ToEndPoint() => new(new IPAddress(Address), Port);
}
