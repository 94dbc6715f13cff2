using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Shoal.Protocol;

/// <summary>
/// Writes one PPSPP datagram (RFC 7574 §8) into a caller's buffer without allocating: the channel id at
/// construction, then messages in order. Each <c>TryWrite…</c> writes a whole message and returns true, or
/// writes nothing and returns false when the message does not fit, so the caller can send what it has and
/// start the next datagram. Arguments the wire cannot carry (a range beyond 32 bits under 32-bit addressing,
/// a hash of the wrong length) are programmer errors and throw.
/// </summary>
/// <remarks>
/// For an <see cref="IBufferWriter{T}"/>: <see cref="Begin"/>, write, <see cref="CommitTo"/>. The message layouts
/// and their RFC diagrams are in <see cref="DatagramReader"/>.
/// </remarks>
public ref struct DatagramWriter
{
    private const int TypeLength = 1;
    private const int TimestampLength = sizeof(ulong);
    private const int SourceChannelIdLength = sizeof(uint);

    private readonly Span<byte> _buffer;
    private readonly WireFormat _format;
    private int _position;
    private bool _sealed;

    /// <summary>Starts a datagram for the channel the receiver chose (0 to open a channel, RFC 7574 §8.4).</summary>
    public DatagramWriter(Span<byte> buffer, uint channelId, WireFormat format)
    {
        if (buffer.Length < DatagramReader.ChannelIdLength)
        {
            throw new ArgumentException("A datagram buffer must hold at least the 4-byte channel id.", nameof(buffer));
        }

        _buffer = buffer;
        _format = format;
        BinaryPrimitives.WriteUInt32BigEndian(buffer, channelId);
        _position = DatagramReader.ChannelIdLength;
    }

    /// <summary>
    /// Starts a datagram in the next <paramref name="maxLength"/> bytes of <paramref name="output"/> (its datagram
    /// budget); hand the bytes over with <see cref="CommitTo"/> when the datagram is complete.
    /// </summary>
    public static DatagramWriter Begin(IBufferWriter<byte> output, int maxLength, uint channelId, WireFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, DatagramReader.ChannelIdLength);
        return new DatagramWriter(output.GetSpan(maxLength)[..maxLength], channelId, format);
    }

    /// <summary>Advances <paramref name="output"/> (the one given to <see cref="Begin"/>) past this datagram; returns its length.</summary>
    public readonly int CommitTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Advance(_position);
        return _position;
    }

    /// <summary>Bytes written, channel id included: the datagram's length.</summary>
    public readonly int BytesWritten => _position;

    /// <summary>Bytes still free in the buffer.</summary>
    public readonly int Remaining => _sealed ? 0 : _buffer.Length - _position;

    /// <summary>The datagram so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    /// <summary>Whether only the channel id has been written (sent as is, a keep-alive, RFC 7574 §8.14).</summary>
    public readonly bool IsKeepAlive => _position == DatagramReader.ChannelIdLength;

    /// <summary>
    /// Whether a DATA that must be the datagram's tail was written (a short last chunk, or variable-size chunks,
    /// RFC 7574 §8.6): nothing more can follow it.
    /// </summary>
    public readonly bool IsSealed => _sealed;

    /// <summary>RFC 7574 §8.4 HANDSHAKE with the options of §7 in the RFC's order, ended by the End option.</summary>
    public bool TryWriteHandshake(uint sourceChannelId, scoped in HandshakeOptions options)
    {
        var addressing = options.ChunkAddressing;
        if (options.LiveDiscardWindow is { } window)
        {
            // RFC 7574 §7.9: its width comes from the Chunk Addressing Method, which MUST precede it.
            if (addressing is not { } method || WireFormat.ScalarLengthOf(method) == 0)
            {
                throw new ArgumentException("A Live Discard Window needs an RFC 7574 Chunk Addressing Method option in the same handshake.", nameof(options));
            }

            if (WireFormat.ScalarLengthOf(method) == sizeof(uint) && window > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(options), window, "A 32-bit addressing method carries a 32-bit Live Discard Window.");
            }
        }

        if (options.SwarmId.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SwarmId.Length, "A swarm id is at most 65535 bytes (RFC 7574 §7.4).");
        }

        if (options.ChunkSize == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), 0, "A chunk size is at least one byte.");
        }

        var length = TypeLength + SourceChannelIdLength + HandshakeOptionsLength(options) + 1;
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)MessageType.Handshake;
        BinaryPrimitives.WriteUInt32BigEndian(span[TypeLength..], sourceChannelId);
        var p = TypeLength + SourceChannelIdLength;
        // RFC 7574 §7.2: Version MUST be the first option; §7.9: Chunk Addressing before Live Discard Window.
        WriteByteOption(span, ref p, HandshakeOptionCode.Version, options.Version);
        WriteByteOption(span, ref p, HandshakeOptionCode.MinimumVersion, options.MinimumVersion);
        if (!options.SwarmId.IsEmpty)
        {
            span[p++] = (byte)HandshakeOptionCode.SwarmIdentifier;
            BinaryPrimitives.WriteUInt16BigEndian(span[p..], (ushort)options.SwarmId.Length);
            p += sizeof(ushort);
            options.SwarmId.CopyTo(span[p..]);
            p += options.SwarmId.Length;
        }

        WriteByteOption(span, ref p, HandshakeOptionCode.ContentIntegrityProtectionMethod, (byte?)options.ContentIntegrityProtectionMethod);
        WriteByteOption(span, ref p, HandshakeOptionCode.MerkleHashTreeFunction, (byte?)options.MerkleHashFunction);
        WriteByteOption(span, ref p, HandshakeOptionCode.LiveSignatureAlgorithm, (byte?)options.LiveSignatureAlgorithm);
        WriteByteOption(span, ref p, HandshakeOptionCode.ChunkAddressingMethod, (byte?)addressing);
        if (options.LiveDiscardWindow is { } discard)
        {
            span[p++] = (byte)HandshakeOptionCode.LiveDiscardWindow;
            if (WireFormat.ScalarLengthOf(addressing!.Value) == sizeof(uint))
            {
                BinaryPrimitives.WriteUInt32BigEndian(span[p..], (uint)discard);
                p += sizeof(uint);
            }
            else
            {
                BinaryPrimitives.WriteUInt64BigEndian(span[p..], discard);
                p += sizeof(ulong);
            }
        }

        if (options.SupportedMessages is { } supported)
        {
            span[p++] = (byte)HandshakeOptionCode.SupportedMessages;
            var bitmapLength = supported.WriteCompressed(span[(p + 1)..]);
            span[p] = (byte)bitmapLength;
            p += 1 + bitmapLength;
        }

        if (options.ChunkSize is { } chunkSize)
        {
            span[p++] = (byte)HandshakeOptionCode.ChunkSize;
            BinaryPrimitives.WriteUInt32BigEndian(span[p..], chunkSize);
            p += sizeof(uint);
        }

        span[p] = (byte)HandshakeOptionCode.EndOption;
        Commit(length);
        return true;
    }

    /// <summary>
    /// RFC 7574 §8.4: closes the channel: a HANDSHAKE with source channel id 0 whose options name only the
    /// sender's highest version.
    /// </summary>
    public bool TryWriteClose(byte maximumVersion) => TryWriteHandshake(0, new HandshakeOptions { Version = maximumVersion });

    /// <summary>
    /// RFC 7574 §8.6 DATA. <paramref name="timestampMicroseconds"/> is the sender's clock now, for LEDBAT. With fixed-size
    /// chunks the data must fill every chunk of the range but the last; a short last chunk seals the datagram.
    /// </summary>
    public bool TryWriteData(ChunkSpec chunks, ulong timestampMicroseconds, scoped ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new ArgumentException("A DATA message carries at least one byte.", nameof(data));
        }

        var specLength = SpecLength();
        var mustBeTail = CheckDataLength(chunks, data.Length);
        var length = TypeLength + specLength + TimestampLength + data.Length;
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)MessageType.Data;
        ChunkSpecCodec.Write(span[TypeLength..], _format.ChunkAddressing, chunks);
        BinaryPrimitives.WriteUInt64BigEndian(span[(TypeLength + specLength)..], timestampMicroseconds);
        data.CopyTo(span[(TypeLength + specLength + TimestampLength)..]);
        Commit(length);
        _sealed = mustBeTail;
        return true;
    }

    /// <summary>RFC 7574 §8.7 ACK with the LEDBAT one-way delay sample in microseconds.</summary>
    public bool TryWriteAck(ChunkSpec chunks, long oneWayDelayMicroseconds)
    {
        var specLength = SpecLength();
        var length = TypeLength + specLength + sizeof(long);
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)MessageType.Ack;
        ChunkSpecCodec.Write(span[TypeLength..], _format.ChunkAddressing, chunks);
        BinaryPrimitives.WriteInt64BigEndian(span[(TypeLength + specLength)..], oneWayDelayMicroseconds);
        Commit(length);
        return true;
    }

    /// <summary>RFC 7574 §8.5 HAVE: the sender has these chunks and has verified them.</summary>
    public bool TryWriteHave(ChunkSpec chunks) => TryWriteChunkSpecMessage(MessageType.Have, chunks);

    /// <summary>RFC 7574 §8.10 REQUEST.</summary>
    public bool TryWriteRequest(ChunkSpec chunks) => TryWriteChunkSpecMessage(MessageType.Request, chunks);

    /// <summary>RFC 7574 §8.11 CANCEL.</summary>
    public bool TryWriteCancel(ChunkSpec chunks) => TryWriteChunkSpecMessage(MessageType.Cancel, chunks);

    /// <summary>RFC 7574 §8.8 INTEGRITY: the hash of the Merkle tree node that covers <paramref name="node"/>.</summary>
    public bool TryWriteIntegrity(ChunkSpec node, scoped ReadOnlySpan<byte> hash)
    {
        if (hash.Length != _format.HashLength || hash.IsEmpty)
        {
            throw new ArgumentException($"The swarm's hashes are {_format.HashLength} bytes; this one is {hash.Length}.", nameof(hash));
        }

        var specLength = SpecLength();
        var length = TypeLength + specLength + hash.Length;
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)MessageType.Integrity;
        ChunkSpecCodec.Write(span[TypeLength..], _format.ChunkAddressing, node);
        hash.CopyTo(span[(TypeLength + specLength)..]);
        Commit(length);
        return true;
    }

    /// <summary>RFC 7574 §8.9 SIGNED_INTEGRITY: a signed subtree root with its 64-bit NTP timestamp (RFC 5905).</summary>
    public bool TryWriteSignedIntegrity(ChunkSpec subtree, ulong ntpTimestamp, scoped ReadOnlySpan<byte> signature)
    {
        if (signature.Length != _format.SignatureLength || signature.IsEmpty)
        {
            throw new ArgumentException($"The swarm's signatures are {_format.SignatureLength} bytes; this one is {signature.Length}.", nameof(signature));
        }

        var specLength = SpecLength();
        var length = TypeLength + specLength + TimestampLength + signature.Length;
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)MessageType.SignedIntegrity;
        ChunkSpecCodec.Write(span[TypeLength..], _format.ChunkAddressing, subtree);
        BinaryPrimitives.WriteUInt64BigEndian(span[(TypeLength + specLength)..], ntpTimestamp);
        signature.CopyTo(span[(TypeLength + specLength + TimestampLength)..]);
        Commit(length);
        return true;
    }

    /// <summary>RFC 7574 §8.12 CHOKE: the sender will not answer REQUESTs for now.</summary>
    public bool TryWriteChoke() => TryWriteTypeOnly(MessageType.Choke);

    /// <summary>RFC 7574 §8.12 UNCHOKE.</summary>
    public bool TryWriteUnchoke() => TryWriteTypeOnly(MessageType.Unchoke);

    /// <summary>RFC 7574 §8.13 PEX_REQ.</summary>
    public bool TryWritePexRequest() => TryWriteTypeOnly(MessageType.PexReq);

    /// <summary>RFC 7574 §8.13 PEX_RESv4 (4-byte address) or PEX_RESv6 (16-byte address), chosen by the address length.</summary>
    public bool TryWritePexResponse(scoped ReadOnlySpan<byte> address, ushort port)
    {
        var type = address.Length switch
        {
            4 => MessageType.PexResV4,
            16 => MessageType.PexResV6,
            _ => throw new ArgumentException("A PEX address is 4 (IPv4) or 16 (IPv6) bytes.", nameof(address)),
        };
        var length = TypeLength + address.Length + sizeof(ushort);
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)type;
        address.CopyTo(span[TypeLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[(TypeLength + address.Length)..], port);
        Commit(length);
        return true;
    }

    /// <summary>RFC 7574 §8.13 PEX_RESv4 or PEX_RESv6 for an endpoint (an IPv4-mapped IPv6 address is sent as IPv4).</summary>
    public bool TryWritePexResponse(IPEndPoint peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var address = peer.Address.IsIPv4MappedToIPv6 ? peer.Address.MapToIPv4() : peer.Address;
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written) || (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException("Only IPv4 and IPv6 peers can be exchanged.", nameof(peer));
        }

        return TryWritePexResponse(bytes[..written], (ushort)peer.Port);
    }

    /// <summary>RFC 7574 §8.13 PEX_REScert: a DER membership certificate of at most 65535 bytes.</summary>
    public bool TryWritePexResponseCertificate(scoped ReadOnlySpan<byte> certificate)
    {
        if (certificate.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(certificate), certificate.Length, "A membership certificate is at most 65535 bytes.");
        }

        var length = TypeLength + sizeof(ushort) + certificate.Length;
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)MessageType.PexResCert;
        BinaryPrimitives.WriteUInt16BigEndian(span[TypeLength..], (ushort)certificate.Length);
        certificate.CopyTo(span[(TypeLength + sizeof(ushort))..]);
        Commit(length);
        return true;
    }

    /// <summary>Shoal's extension envelope (docs/protocol.md §9): only for peers whose Supported Messages list it.</summary>
    public bool TryWriteExtension(ShoalExtensionId id, scoped ReadOnlySpan<byte> body)
    {
        if (body.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(body), body.Length, "An extension body is at most 65535 bytes.");
        }

        var length = TypeLength + 1 + sizeof(ushort) + body.Length;
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)MessageType.ShoalExtension;
        span[1] = (byte)id;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)body.Length);
        body.CopyTo(span[4..]);
        Commit(length);
        return true;
    }

    /// <summary>The bytes a HANDSHAKE's options take, without the End option.</summary>
    private static int HandshakeOptionsLength(scoped in HandshakeOptions options)
    {
        const int ByteOption = 2;
        var length = 0;
        length += options.Version is null ? 0 : ByteOption;
        length += options.MinimumVersion is null ? 0 : ByteOption;
        length += options.SwarmId.IsEmpty ? 0 : 1 + sizeof(ushort) + options.SwarmId.Length;
        length += options.ContentIntegrityProtectionMethod is null ? 0 : ByteOption;
        length += options.MerkleHashFunction is null ? 0 : ByteOption;
        length += options.LiveSignatureAlgorithm is null ? 0 : ByteOption;
        length += options.ChunkAddressing is null ? 0 : ByteOption;
        length += options.LiveDiscardWindow is null ? 0 : 1 + WireFormat.ScalarLengthOf(options.ChunkAddressing!.Value);
        length += options.SupportedMessages is { } supported ? 2 + supported.CompressedLength : 0;
        length += options.ChunkSize is null ? 0 : 1 + sizeof(uint);
        return length;
    }

    private static void WriteByteOption(Span<byte> span, ref int p, HandshakeOptionCode code, byte? value)
    {
        if (value is { } octet)
        {
            span[p++] = (byte)code;
            span[p++] = octet;
        }
    }

    /// <summary>Checks a DATA payload length against its range; returns whether the message must end the datagram.</summary>
    private readonly bool CheckDataLength(ChunkSpec chunks, int length)
    {
        if (chunks.Start > chunks.End)
        {
            throw new ArgumentException($"Chunk specification {chunks} starts after it ends.", nameof(chunks));
        }

        var span = chunks.End - chunks.Start;
        if (!_format.AddressesChunks)
        {
            if (span + 1 != (ulong)length)
            {
                throw new ArgumentException($"Byte range {chunks} names {span + 1} bytes, the data has {length}.", nameof(chunks));
            }

            return false;
        }

        if (_format.ChunkSize == WireFormat.VariableChunkSize)
        {
            // RFC 7574 §8.6: without a fixed chunk size the receiver can only frame DATA as the tail.
            return true;
        }

        var size = (ulong)_format.ChunkSize;
        if (span >= (ulong)length || span * size >= (ulong)length || (span + 1) * size < (ulong)length)
        {
            throw new ArgumentException($"{length} bytes do not fill chunks {chunks} of {size} bytes (all full but a shorter last one).", nameof(chunks));
        }

        return (span + 1) * size != (ulong)length;
    }

    private bool TryWriteChunkSpecMessage(MessageType type, ChunkSpec chunks)
    {
        var length = TypeLength + SpecLength();
        if (!TryReserve(length, out var span))
        {
            return false;
        }

        span[0] = (byte)type;
        ChunkSpecCodec.Write(span[TypeLength..], _format.ChunkAddressing, chunks);
        Commit(length);
        return true;
    }

    private bool TryWriteTypeOnly(MessageType type)
    {
        if (!TryReserve(TypeLength, out var span))
        {
            return false;
        }

        span[0] = (byte)type;
        Commit(TypeLength);
        return true;
    }

    private readonly bool TryReserve(int length, out Span<byte> span)
    {
        if (_sealed)
        {
            // RFC 7574 §8.6: the DATA written last must stay the datagram's tail.
            span = default;
            return false;
        }

        if (_buffer.Length - _position < length)
        {
            span = default;
            return false;
        }

        span = _buffer.Slice(_position, length);
        return true;
    }

    private void Commit(int length) => _position += length;

    /// <summary>The width of a chunk specification in this datagram's format; a format without one is a programmer error.</summary>
    private readonly int SpecLength() => _format.ChunkSpecLength is > 0 and var length
        ? length
        : throw new InvalidOperationException($"Chunk addressing method {_format.ChunkAddressing} is not one of RFC 7574 Table 6.");
}
