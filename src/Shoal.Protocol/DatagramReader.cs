using System.Buffers.Binary;

namespace Shoal.Protocol;

/// <summary>
/// Reads the messages of one PPSPP datagram (RFC 7574 §8) without copying or allocating: open it with
/// <see cref="TryOpen"/>, then call <see cref="TryRead"/> until it returns false. Hostile input never throws:
/// every length is checked against the bytes actually present before it is used, and the first malformed
/// message ends the datagram with a <see cref="DecodeError"/> (the messages before it stay valid).
/// </summary>
/// <remarks>
/// A HANDSHAKE that names a chunk addressing method, hash function, signature algorithm or chunk size switches
/// the reader to them for the rest of the datagram (<see cref="WireFormat.With"/>), since the first datagram of
/// a channel arrives before the receiver knows which swarm, and so which format, it is for. Options the HANDSHAKE
/// omits keep the format given to <see cref="TryOpen"/>; open channel-0 datagrams with
/// <see cref="WireFormat.Rfc7574Default"/> so that omitted options mean the RFC's defaults (§7.6, §7.8).
/// </remarks>
public ref struct DatagramReader
{
    /// <summary>RFC 7574 §8.3: every datagram starts with the 4-byte channel id the receiver chose.</summary>
    public const int ChannelIdLength = 4;

    /*
     * RFC 7574 §8.3 datagram: the destination channel id, then zero or more messages, each starting with its
     * one-byte type (§8.2). With no message at all it is a keep-alive (§8.14).
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                       Channel ID (32)                         |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |  Msg type (8) |  Message body (by type) ...                   ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     */
    private const int TypeLength = 1;

    private readonly ReadOnlySpan<byte> _datagram;
    private int _position;
    private WireFormat _format;
    private DecodeError _failure;

    private DatagramReader(ReadOnlySpan<byte> datagram, WireFormat format)
    {
        _datagram = datagram;
        _format = format;
        _position = ChannelIdLength;
        ChannelId = BinaryPrimitives.ReadUInt32BigEndian(datagram);
    }

    /// <summary>The destination channel id: 0 for a datagram that opens a channel (RFC 7574 §8.4).</summary>
    public uint ChannelId { get; }

    /// <summary>A datagram of only the channel id (RFC 7574 §8.14).</summary>
    public readonly bool IsKeepAlive => _datagram.Length == ChannelIdLength;

    /// <summary>The layout in force: the one given, or the one the datagram's HANDSHAKE announced.</summary>
    public readonly WireFormat Format => _format;

    /// <summary>Bytes consumed so far, channel id included.</summary>
    public readonly int Position => _position;

    /// <summary>Reads the channel id alone, to route a datagram to its channel before decoding it.</summary>
    public static bool TryReadChannelId(ReadOnlySpan<byte> datagram, out uint channelId)
    {
        if (datagram.Length < ChannelIdLength)
        {
            channelId = 0;
            return false;
        }

        channelId = BinaryPrimitives.ReadUInt32BigEndian(datagram);
        return true;
    }

    /// <summary>Starts reading <paramref name="datagram"/>; fails only if it is shorter than a channel id.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> datagram, WireFormat format, out DatagramReader reader, out DecodeError error)
    {
        if (datagram.Length < ChannelIdLength)
        {
            reader = default;
            error = DecodeError.DatagramTooShort;
            return false;
        }

        reader = new DatagramReader(datagram, format);
        error = DecodeError.None;
        return true;
    }

    /// <summary>
    /// Reads the next message. Returns false at the end of the datagram (<paramref name="error"/> is
    /// <see cref="DecodeError.None"/>) or at the first malformed message (and on every later call).
    /// </summary>
    public bool TryRead(out Message message, out DecodeError error)
    {
        message = default;
        if (_failure != DecodeError.None)
        {
            error = _failure;
            return false;
        }

        if (_position >= _datagram.Length)
        {
            error = DecodeError.None;
            return false;
        }

        var rest = _datagram[_position..];
        int consumed;
        var ok = (MessageType)rest[0] switch
        {
            MessageType.Handshake => TryReadHandshake(rest, out message, out consumed, out error),
            MessageType.Data => TryReadData(rest, out message, out consumed, out error),
            MessageType.Ack => TryReadAck(rest, out message, out consumed, out error),
            MessageType.Have or MessageType.Request or MessageType.Cancel => TryReadChunkSpecOnly(rest, out message, out consumed, out error),
            MessageType.Integrity => TryReadIntegrity(rest, out message, out consumed, out error),
            MessageType.SignedIntegrity => TryReadSignedIntegrity(rest, out message, out consumed, out error),
            MessageType.PexReq or MessageType.Choke or MessageType.Unchoke => TryReadTypeOnly(rest, out message, out consumed, out error),
            MessageType.PexResV4 => TryReadPexRes(rest, PexResV4AddressLength, out message, out consumed, out error),
            MessageType.PexResV6 => TryReadPexRes(rest, PexResV6AddressLength, out message, out consumed, out error),
            MessageType.PexResCert => TryReadPexResCert(rest, out message, out consumed, out error),
            MessageType.ShoalExtension => TryReadExtension(rest, out message, out consumed, out error),
            _ => Fail(DecodeError.UnknownMessageType, out message, out consumed, out error),
        };

        if (!ok)
        {
            _failure = error;
            message = default;
            return false;
        }

        _position += consumed;
        return true;
    }

    private static bool Fail(DecodeError reason, out Message message, out int consumed, out DecodeError error)
    {
        message = default;
        consumed = 0;
        error = reason;
        return false;
    }

    /*
     * RFC 7574 §8.4 HANDSHAKE, then the protocol options of §7, ended by the End option (255):
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 0 0 0 0|            Source Channel ID (32)             |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                                               ~
     * +-+-+-+-+-+-+-+-+                                               ~
     * ~                 Protocol Options ... |1 1 1 1 1 1 1 1|         ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     *
     * Each option is a code byte and a value (§7): one byte, except Swarm Identifier (16-bit length + id,
     * §7.4), Live Discard Window (32 or 64 bits by the addressing method, §7.9), Supported Messages (8-bit
     * length + bitmap, §7.10), Chunk Size (32 bits, §7.11) and End (no value, §7.1).
     */
    private const int HandshakeSourceChannelOffset = 1;
    private const int HandshakeOptionsOffset = 5;

    private bool TryReadHandshake(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        if (rest.Length < HandshakeOptionsOffset)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        var source = BinaryPrimitives.ReadUInt32BigEndian(rest[HandshakeSourceChannelOffset..]);
        if (source == 0 && rest.Length == HandshakeOptionsOffset)
        {
            // RFC 7574 §8.4: a closing HANDSHAKE's option list may be empty; accept it without the End option too.
            message = new Message { Type = MessageType.Handshake, SourceChannelId = 0 };
            consumed = HandshakeOptionsOffset;
            error = DecodeError.None;
            return true;
        }

        // Options are checked now and kept as bytes: Message stays small, and only a HANDSHAKE's reader pays
        // for building HandshakeOptions (Message.Handshake parses them again).
        if (!HandshakeOptionsCodec.TryRead(rest[HandshakeOptionsOffset..], out var options, out var optionsLength, out error))
        {
            return Fail(error, out message, out consumed, out error);
        }

        _format = _format.With(options);

        message = new Message
        {
            Type = MessageType.Handshake,
            SourceChannelId = source,
            HandshakeOptionBytes = rest.Slice(HandshakeOptionsOffset, optionsLength),
        };
        consumed = HandshakeOptionsOffset + optionsLength;
        return true;
    }

    /*
     * RFC 7574 §8.6 DATA (shown with 32-bit chunk ranges; the chunk specification's width follows the method):
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 0 0 0 1|                 Start chunk (32)              |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                  End chunk (32)               |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |            Timestamp (64, microseconds)       |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                                                               |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                Data ...                       ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     *
     * DATA has no length field. With fixed-size chunks its length is (chunks in the range) x (chunk size),
     * except that the content's short last chunk may end it early, and then the message is the datagram's
     * tail (§8.6). With variable-size chunks DATA is always the tail. With byte ranges the range is the length.
     */
    private const int TimestampLength = sizeof(ulong);

    private bool TryReadData(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        if (!TryReadSpecAt(rest, out var chunks, out var specEnd, out error))
        {
            return Fail(error, out message, out consumed, out error);
        }

        var payloadOffset = specEnd + TimestampLength;
        if (rest.Length < payloadOffset)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(rest[specEnd..]);
        var available = rest.Length - payloadOffset;
        if (available == 0)
        {
            return Fail(DecodeError.EmptyData, out message, out consumed, out error);
        }

        if (!TryFrameData(chunks, available, out var payloadLength, out error))
        {
            return Fail(error, out message, out consumed, out error);
        }

        message = new Message
        {
            Type = MessageType.Data,
            Chunks = chunks,
            Timestamp = timestamp,
            Payload = rest.Slice(payloadOffset, payloadLength),
        };
        consumed = payloadOffset + payloadLength;
        return true;
    }

    private readonly bool TryFrameData(ChunkSpec chunks, int available, out int payloadLength, out DecodeError error)
    {
        error = DecodeError.None;
        var span = chunks.End - chunks.Start; // One less than the count: cannot overflow.
        if (!_format.AddressesChunks)
        {
            // Byte ranges name the exact bytes carried.
            if (span >= (ulong)available)
            {
                payloadLength = 0;
                error = DecodeError.Truncated;
                return false;
            }

            payloadLength = (int)(span + 1);
            return true;
        }

        if (_format.ChunkSize == WireFormat.VariableChunkSize)
        {
            payloadLength = available;
            return true;
        }

        // All chunks but the last are full, so at least span * size + 1 bytes; at most (span + 1) * size.
        // span < available keeps both products within 64 bits (available < 2^31, size < 2^32).
        if (span >= (ulong)available || span * _format.ChunkSize >= (ulong)available)
        {
            payloadLength = 0;
            error = DecodeError.Truncated;
            return false;
        }

        var full = (span + 1) * _format.ChunkSize;
        payloadLength = full < (ulong)available ? (int)full : available;
        return true;
    }

    /*
     * RFC 7574 §8.7 ACK (32-bit chunk ranges shown):
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 0 0 1 0|                 Start chunk (32)              |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                  End chunk (32)               |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |     One-way delay sample (64, microseconds)   |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                                               |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     */
    private const int DelaySampleLength = sizeof(long);

    private readonly bool TryReadAck(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        if (!TryReadSpecAt(rest, out var chunks, out var specEnd, out error))
        {
            return Fail(error, out message, out consumed, out error);
        }

        if (rest.Length - specEnd < DelaySampleLength)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        message = new Message
        {
            Type = MessageType.Ack,
            Chunks = chunks,
            OneWayDelaySample = BinaryPrimitives.ReadInt64BigEndian(rest[specEnd..]),
        };
        consumed = specEnd + DelaySampleLength;
        return true;
    }

    /*
     * RFC 7574 §8.5 HAVE (0x03), §8.10 REQUEST (0x08), §8.11 CANCEL (0x09): the type, then one chunk
     * specification (32-bit chunk ranges shown):
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |  0x03/08/09   |                 Start chunk (32)              |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                  End chunk (32)               |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |
     * +-+-+-+-+-+-+-+-+
     */
    private readonly bool TryReadChunkSpecOnly(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        if (!TryReadSpecAt(rest, out var chunks, out var specEnd, out error))
        {
            return Fail(error, out message, out consumed, out error);
        }

        message = new Message { Type = (MessageType)rest[0], Chunks = chunks };
        consumed = specEnd;
        return true;
    }

    /*
     * RFC 7574 §8.8 INTEGRITY: the chunk specification of a Merkle tree node, then its hash, whose length the
     * Merkle Hash Tree Function option fixes (32 bytes for SHA-256, 20 for SHA-1):
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 0 1 0 0|                 Start chunk (32)              |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                  End chunk (32)               |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                 Hash (by function) ...        ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     */
    private readonly bool TryReadIntegrity(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        if (_format.HashLength <= 0)
        {
            return Fail(DecodeError.UnknownFieldLength, out message, out consumed, out error);
        }

        if (!TryReadSpecAt(rest, out var chunks, out var specEnd, out error))
        {
            return Fail(error, out message, out consumed, out error);
        }

        if (rest.Length - specEnd < _format.HashLength)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        message = new Message { Type = MessageType.Integrity, Chunks = chunks, Payload = rest.Slice(specEnd, _format.HashLength) };
        consumed = specEnd + _format.HashLength;
        return true;
    }

    /*
     * RFC 7574 §8.9 SIGNED_INTEGRITY: chunk specification, a 64-bit NTP timestamp (RFC 5905), then the
     * signature, whose length the Live Signature Algorithm fixes (64 bytes for Ed25519 and ECDSA P-256):
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 0 1 1 1|                 Start chunk (32)              |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                  End chunk (32)               |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |                 Timestamp (64)                |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                                               |               |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               ~
     * ~                          Signature ...                        ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     */
    private readonly bool TryReadSignedIntegrity(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        if (_format.SignatureLength <= 0)
        {
            return Fail(DecodeError.UnknownFieldLength, out message, out consumed, out error);
        }

        if (!TryReadSpecAt(rest, out var chunks, out var specEnd, out error))
        {
            return Fail(error, out message, out consumed, out error);
        }

        if (rest.Length - specEnd < TimestampLength + _format.SignatureLength)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        message = new Message
        {
            Type = MessageType.SignedIntegrity,
            Chunks = chunks,
            Timestamp = BinaryPrimitives.ReadUInt64BigEndian(rest[specEnd..]),
            Payload = rest.Slice(specEnd + TimestampLength, _format.SignatureLength),
        };
        consumed = specEnd + TimestampLength + _format.SignatureLength;
        return true;
    }

    /*
     * RFC 7574 §8.12 CHOKE (0x0a), UNCHOKE (0x0b) and §8.13 PEX_REQ (0x06): the type byte alone.
     * +-+-+-+-+-+-+-+-+
     * |  0x06/0a/0b   |
     * +-+-+-+-+-+-+-+-+
     */
    private static bool TryReadTypeOnly(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        message = new Message { Type = (MessageType)rest[0] };
        consumed = TypeLength;
        error = DecodeError.None;
        return true;
    }

    /*
     * RFC 7574 §8.13 PEX_RESv4 (0x05): IPv4 address and UDP port, big-endian. PEX_RESv6 (0x0c): the same with
     * a 128-bit IPv6 address.
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 0 1 0 1|              IPv4 Address (32)                |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |               |             Port (16)         |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     */
    private const int PexResAddressOffset = 1;
    private const int PexResV4AddressLength = 4;
    private const int PexResV6AddressLength = 16;
    private const int PortLength = sizeof(ushort);

    private static bool TryReadPexRes(ReadOnlySpan<byte> rest, int addressLength, out Message message, out int consumed, out DecodeError error)
    {
        var length = PexResAddressOffset + addressLength + PortLength;
        if (rest.Length < length)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        message = new Message
        {
            Type = (MessageType)rest[0],
            Address = rest.Slice(PexResAddressOffset, addressLength),
            Port = BinaryPrimitives.ReadUInt16BigEndian(rest[(PexResAddressOffset + addressLength)..]),
        };
        consumed = length;
        error = DecodeError.None;
        return true;
    }

    /*
     * RFC 7574 §8.13 PEX_REScert (0x0d): a 16-bit certificate size, then the DER X.509 membership certificate.
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 1 1 0 1|   Size of Memb. Cert. (16)    |               ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               ~
     * ~                    Membership Certificate                     ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     */
    private const int CertificateSizeOffset = 1;
    private const int CertificateOffset = 3;

    private static bool TryReadPexResCert(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        if (rest.Length < CertificateOffset)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        var size = BinaryPrimitives.ReadUInt16BigEndian(rest[CertificateSizeOffset..]);
        if (rest.Length - CertificateOffset < size)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        message = new Message { Type = MessageType.PexResCert, Payload = rest.Slice(CertificateOffset, size) };
        consumed = CertificateOffset + size;
        error = DecodeError.None;
        return true;
    }

    /*
     * Shoal extension envelope (type 0xF0, docs/protocol.md §9; not in RFC 7574): an extension id, a 16-bit
     * body length, the body. Sent only to peers whose Supported Messages option lists 0xF0.
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |1 1 1 1 0 0 0 0| Extension id  |        Body length (16)       |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * ~                             Body                              ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     */
    private const int ExtensionIdOffset = 1;
    private const int ExtensionLengthOffset = 2;
    private const int ExtensionBodyOffset = 4;

    private static bool TryReadExtension(ReadOnlySpan<byte> rest, out Message message, out int consumed, out DecodeError error)
    {
        if (rest.Length < ExtensionBodyOffset)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(rest[ExtensionLengthOffset..]);
        if (rest.Length - ExtensionBodyOffset < length)
        {
            return Fail(DecodeError.Truncated, out message, out consumed, out error);
        }

        message = new Message
        {
            Type = MessageType.ShoalExtension,
            ExtensionId = (ShoalExtensionId)rest[ExtensionIdOffset],
            Payload = rest.Slice(ExtensionBodyOffset, length),
        };
        consumed = ExtensionBodyOffset + length;
        error = DecodeError.None;
        return true;
    }

    private readonly bool TryReadSpecAt(ReadOnlySpan<byte> rest, out ChunkSpec chunks, out int specEnd, out DecodeError error)
    {
        specEnd = TypeLength + _format.ChunkSpecLength;
        return ChunkSpecCodec.TryRead(rest[TypeLength..], _format.ChunkAddressing, out chunks, out error);
    }
}
