using System.Buffers.Binary;

namespace Shoal.Protocol;

/// <summary>Reads the protocol option list of a HANDSHAKE (RFC 7574 §7), up to and including the End option.</summary>
internal static class HandshakeOptionsCodec
{
    /*
     * RFC 7574 §7: each option is a code byte and a value. One-byte values (Version §7.2, Minimum Version §7.3,
     * Content Integrity Protection Method §7.5, Merkle Hash Tree Function §7.6, Live Signature Algorithm §7.7,
     * Chunk Addressing Method §7.8):
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |   Code (8)    |   Value (8)   |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * Swarm Identifier (§7.4):
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0 0 0 0 0 1 0|     Swarm ID Length (16)      |  Swarm ID ... ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * Live Discard Window (§7.9): code 7, then 32 or 64 bits as the Chunk Addressing Method before it says.
     * Supported Messages (§7.10): code 8, a length byte (at most 32), then the truncated bitmap.
     * Chunk Size (§7.11): code 9, then 32 bits.
     * End (§7.1): 0xFF, no value.
     */
    private const int SwarmIdLengthFieldLength = 2;
    private const int ChunkSizeOptionLength = 4;

    /// <summary>
    /// Reads the options at the start of <paramref name="source"/>; <paramref name="length"/> counts the End
    /// option. Never throws; every length is checked against <paramref name="source"/> first.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out HandshakeOptions options, out int length, out DecodeError error)
    {
        options = default;
        length = 0;
        byte? version = null;
        byte? minimumVersion = null;
        ReadOnlySpan<byte> swarmId = default;
        ContentIntegrityProtectionMethod? integrity = null;
        MerkleHashFunction? hashFunction = null;
        LiveSignatureAlgorithm? signature = null;
        ChunkAddressingMethod? addressing = null;
        ulong? discardWindow = null;
        SupportedMessages? supported = null;
        uint? chunkSize = null;
        var seen = 0;
        var p = 0;
        while (true)
        {
            if (p >= source.Length)
            {
                // RFC 7574 §7.1: the list MUST end with the End option.
                error = DecodeError.Truncated;
                return false;
            }

            var code = (HandshakeOptionCode)source[p++];
            if (code == HandshakeOptionCode.EndOption)
            {
                break;
            }

            if ((byte)code > (byte)HandshakeOptionCode.ChunkSize)
            {
                // RFC 7574 §7: options carry no generic length, so an unknown one cannot be skipped.
                error = DecodeError.UnknownHandshakeOption;
                return false;
            }

            var bit = 1 << (byte)code;
            if ((seen & bit) != 0)
            {
                error = DecodeError.DuplicateHandshakeOption;
                return false;
            }

            seen |= bit;
            var value = source[p..];
            switch (code)
            {
                case HandshakeOptionCode.SwarmIdentifier:
                    if (value.Length < SwarmIdLengthFieldLength)
                    {
                        error = DecodeError.Truncated;
                        return false;
                    }

                    var idLength = BinaryPrimitives.ReadUInt16BigEndian(value);
                    if (idLength == 0)
                    {
                        error = DecodeError.InvalidHandshakeOption;
                        return false;
                    }

                    if (value.Length - SwarmIdLengthFieldLength < idLength)
                    {
                        error = DecodeError.Truncated;
                        return false;
                    }

                    swarmId = value.Slice(SwarmIdLengthFieldLength, idLength);
                    p += SwarmIdLengthFieldLength + idLength;
                    break;

                case HandshakeOptionCode.LiveDiscardWindow:
                    if (addressing is not { } method)
                    {
                        error = DecodeError.HandshakeOptionOutOfOrder;
                        return false;
                    }

                    var width = WireFormat.ScalarLengthOf(method);
                    if (width == 0)
                    {
                        error = DecodeError.UnsupportedChunkAddressing;
                        return false;
                    }

                    if (value.Length < width)
                    {
                        error = DecodeError.Truncated;
                        return false;
                    }

                    discardWindow = width == sizeof(uint) ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadUInt64BigEndian(value);
                    p += width;
                    break;

                case HandshakeOptionCode.SupportedMessages:
                    if (value.Length < 1)
                    {
                        error = DecodeError.Truncated;
                        return false;
                    }

                    var bitmapLength = value[0];
                    if (bitmapLength > SupportedMessages.MaxCompressedLength)
                    {
                        error = DecodeError.InvalidHandshakeOption;
                        return false;
                    }

                    if (value.Length - 1 < bitmapLength)
                    {
                        error = DecodeError.Truncated;
                        return false;
                    }

                    supported = SupportedMessages.FromCompressed(value.Slice(1, bitmapLength));
                    p += 1 + bitmapLength;
                    break;

                case HandshakeOptionCode.ChunkSize:
                    if (value.Length < ChunkSizeOptionLength)
                    {
                        error = DecodeError.Truncated;
                        return false;
                    }

                    var size = BinaryPrimitives.ReadUInt32BigEndian(value);
                    if (size == 0)
                    {
                        error = DecodeError.InvalidHandshakeOption;
                        return false;
                    }

                    chunkSize = size;
                    p += ChunkSizeOptionLength;
                    break;

                default:
                    if (value.Length < 1)
                    {
                        error = DecodeError.Truncated;
                        return false;
                    }

                    var octet = value[0];
                    p += 1;
                    switch (code)
                    {
                        case HandshakeOptionCode.Version: version = octet; break;
                        case HandshakeOptionCode.MinimumVersion: minimumVersion = octet; break;
                        case HandshakeOptionCode.ContentIntegrityProtectionMethod: integrity = (ContentIntegrityProtectionMethod)octet; break;
                        case HandshakeOptionCode.MerkleHashTreeFunction: hashFunction = (MerkleHashFunction)octet; break;
                        case HandshakeOptionCode.LiveSignatureAlgorithm: signature = (LiveSignatureAlgorithm)octet; break;
                        default: addressing = (ChunkAddressingMethod)octet; break;
                    }

                    break;
            }
        }

        options = new HandshakeOptions
        {
            Version = version,
            MinimumVersion = minimumVersion,
            SwarmId = swarmId,
            ContentIntegrityProtectionMethod = integrity,
            MerkleHashFunction = hashFunction,
            LiveSignatureAlgorithm = signature,
            ChunkAddressing = addressing,
            LiveDiscardWindow = discardWindow,
            SupportedMessages = supported,
            ChunkSize = chunkSize,
        };
        length = p;
        error = DecodeError.None;
        return true;
    }

    /// <summary>Reads options that <see cref="TryRead"/> has already accepted.</summary>
    public static HandshakeOptions ReadValidated(ReadOnlySpan<byte> source)
    {
        TryRead(source, out var options, out _, out _);
        return options;
    }
}
