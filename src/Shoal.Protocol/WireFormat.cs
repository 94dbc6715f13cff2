namespace Shoal.Protocol;

/// <summary>
/// The per-swarm parameters that decide how messages are laid out on the wire: RFC 7574 makes the width of a
/// chunk specification depend on the chunk addressing method (§4), the INTEGRITY hash length on the Merkle hash
/// function (§7.6), the SIGNED_INTEGRITY signature length on the live signature algorithm (§8.9), and the DATA
/// length on the chunk size (§7.11, §8.6). Both ends of a channel use the same values (the swarm's metadata).
/// </summary>
public readonly record struct WireFormat
{
    /// <summary>RFC 7574 §7.11: the chunk size value that means "chunks vary in size".</summary>
    public const uint VariableChunkSize = 0xFFFF_FFFF;

    /// <summary>RFC 7574 §8.1: the recommended chunk size, and Shoal's (SEAMS.md).</summary>
    public const uint DefaultChunkSize = 1024;

    public ChunkAddressingMethod ChunkAddressing { get; init; }

    /// <summary>Length in bytes of one Merkle hash; 0 when not known (INTEGRITY cannot then be framed).</summary>
    public int HashLength { get; init; }

    /// <summary>Length in bytes of one live signature; 0 when not known (SIGNED_INTEGRITY cannot then be framed).</summary>
    public int SignatureLength { get; init; }

    /// <summary>Bytes per chunk, or <see cref="VariableChunkSize"/>.</summary>
    public uint ChunkSize { get; init; }

    /// <summary>Shoal's swarms: 32-bit chunk ranges, SHA-256, Ed25519, 1 KiB chunks (SEAMS.md).</summary>
    public static WireFormat Shoal { get; } = For(ChunkAddressingMethod.ChunkRanges32, MerkleHashFunction.Sha256, LiveSignatureAlgorithm.Ed25519, DefaultChunkSize);

    /// <summary>The RFC's defaults: 32-bit chunk ranges (§7.8), SHA-1 (§7.6), ECDSA P-256 (§7.7), 1 KiB chunks (§8.1).</summary>
    public static WireFormat Rfc7574Default { get; } = For(ChunkAddressingMethod.ChunkRanges32, MerkleHashFunction.Sha1, LiveSignatureAlgorithm.EcdsaP256Sha256, DefaultChunkSize);

    public static WireFormat For(ChunkAddressingMethod addressing, MerkleHashFunction hash, LiveSignatureAlgorithm signature, uint chunkSize) => new()
    {
        ChunkAddressing = addressing,
        HashLength = HashLengthOf(hash),
        SignatureLength = SignatureLengthOf(signature),
        ChunkSize = chunkSize,
    };

    /// <summary>Bytes in one chunk specification under <see cref="ChunkAddressing"/>; 0 for a method RFC 7574 Table 6 does not define.</summary>
    public int ChunkSpecLength => ChunkSpecLengthOf(ChunkAddressing);

    /// <summary>Whether chunk specifications are chunk indices (bins or chunk ranges) rather than byte offsets.</summary>
    public bool AddressesChunks => ChunkAddressing != ChunkAddressingMethod.ByteRanges64;

    /// <summary>RFC 7574 §4: bins are one integer, ranges two; 32- or 64-bit as the method says.</summary>
    public static int ChunkSpecLengthOf(ChunkAddressingMethod method) => method switch
    {
        ChunkAddressingMethod.Bins32 => 4,
        ChunkAddressingMethod.ChunkRanges32 => 8,
        ChunkAddressingMethod.Bins64 => 8,
        ChunkAddressingMethod.ByteRanges64 or ChunkAddressingMethod.ChunkRanges64 => 16,
        _ => 0,
    };

    /// <summary>RFC 7574 §7.9: the Live Discard Window has the width of one bin or one range value.</summary>
    public static int ScalarLengthOf(ChunkAddressingMethod method) => method switch
    {
        ChunkAddressingMethod.Bins32 or ChunkAddressingMethod.ChunkRanges32 => 4,
        ChunkAddressingMethod.Bins64 or ChunkAddressingMethod.ByteRanges64 or ChunkAddressingMethod.ChunkRanges64 => 8,
        _ => 0,
    };

    /// <summary>Digest length of a Merkle hash function (FIPS 180-4); 0 if unknown.</summary>
    public static int HashLengthOf(MerkleHashFunction function) => function switch
    {
        MerkleHashFunction.Sha1 => 20,
        MerkleHashFunction.Sha224 => 28,
        MerkleHashFunction.Sha256 => 32,
        MerkleHashFunction.Sha384 => 48,
        MerkleHashFunction.Sha512 => 64,
        _ => 0,
    };

    /// <summary>
    /// Signature length of a DNSSEC algorithm when it is fixed (RFC 7574 §8.9, RFC 6605, RFC 8080); 0 otherwise
    /// (RSA: the modulus length, which the caller derives from the swarm's key and sets itself).
    /// </summary>
    public static int SignatureLengthOf(LiveSignatureAlgorithm algorithm) => algorithm switch
    {
        LiveSignatureAlgorithm.EcdsaP256Sha256 => 64,
        LiveSignatureAlgorithm.EcdsaP384Sha384 => 96,
        LiveSignatureAlgorithm.Ed25519 => 64,
        LiveSignatureAlgorithm.Ed448 => 114,
        _ => 0,
    };

    /// <summary>Bytes of a HAVE, REQUEST or CANCEL message (RFC 7574 §8.5, §8.10, §8.11).</summary>
    public int ChunkSpecMessageLength => 1 + ChunkSpecLength;

    /// <summary>Bytes of an ACK message (RFC 7574 §8.7).</summary>
    public int AckMessageLength => 1 + ChunkSpecLength + sizeof(ulong);

    /// <summary>Bytes of an INTEGRITY message (RFC 7574 §8.8).</summary>
    public int IntegrityMessageLength => 1 + ChunkSpecLength + HashLength;

    /// <summary>Bytes of a SIGNED_INTEGRITY message (RFC 7574 §8.9).</summary>
    public int SignedIntegrityMessageLength => 1 + ChunkSpecLength + sizeof(ulong) + SignatureLength;

    /// <summary>Bytes of a DATA message carrying <paramref name="payloadLength"/> content bytes (RFC 7574 §8.6).</summary>
    public int DataMessageLength(int payloadLength) => 1 + ChunkSpecLength + sizeof(ulong) + payloadLength;

    /// <summary>
    /// The format a HANDSHAKE announces: its chunk addressing, hash function, signature algorithm and chunk size
    /// replace ours where it names them (a signature algorithm of unknown length keeps the current length).
    /// </summary>
    public WireFormat With(scoped in HandshakeOptions options)
    {
        var format = this;
        if (options.ChunkAddressing is { } addressing)
        {
            format = format with { ChunkAddressing = addressing };
        }

        if (options.MerkleHashFunction is { } hash)
        {
            format = format with { HashLength = HashLengthOf(hash) };
        }

        if (options.LiveSignatureAlgorithm is { } signature && SignatureLengthOf(signature) > 0)
        {
            format = format with { SignatureLength = SignatureLengthOf(signature) };
        }

        if (options.ChunkSize is { } chunkSize)
        {
            format = format with { ChunkSize = chunkSize };
        }

        return format;
    }
}
