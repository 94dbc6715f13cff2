namespace Shoal.Protocol;

/// <summary>
/// Why a datagram could not be decoded further. A receiver drops the rest of the datagram, counts the error
/// by kind and carries on (docs/protocol.md §8).
/// </summary>
public enum DecodeError : byte
{
    None = 0,

    /// <summary>Shorter than the 4-byte channel id (RFC 7574 §8.3).</summary>
    DatagramTooShort,

    /// <summary>A message, option or length field runs past the end of the datagram.</summary>
    Truncated,

    /// <summary>A message type this implementation does not know; nothing after it can be framed.</summary>
    UnknownMessageType,

    /// <summary>A HANDSHAKE option code this implementation does not know; options carry no length, so nothing after it can be framed.</summary>
    UnknownHandshakeOption,

    /// <summary>The same HANDSHAKE option twice.</summary>
    DuplicateHandshakeOption,

    /// <summary>Live Discard Window before Chunk Addressing Method (RFC 7574 §7.9 says the latter MUST come first).</summary>
    HandshakeOptionOutOfOrder,

    /// <summary>An option value the RFC rules out (a bitmap longer than 256 bits, a zero chunk size, an empty swarm id).</summary>
    InvalidHandshakeOption,

    /// <summary>A chunk specification whose start is after its end, or a byte range that is not one.</summary>
    InvalidChunkSpec,

    /// <summary>The chunk addressing method in force is not one of RFC 7574 Table 6, so chunk specifications cannot be read.</summary>
    UnsupportedChunkAddressing,

    /// <summary>A DATA message with no content bytes.</summary>
    EmptyData,

    /// <summary>The hash or signature length in force is unknown (for example RSA without a key length), so the message cannot be framed.</summary>
    UnknownFieldLength,
}
