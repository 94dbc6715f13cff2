namespace Shoal.Protocol;

/// <summary>
/// The protocol options of a HANDSHAKE (RFC 7574 §7): each is absent (null or empty) unless the peer sent it.
/// A view over the datagram when read (the swarm id is a slice of it), the caller's values when written.
/// </summary>
public readonly ref struct HandshakeOptions
{
    /// <summary>RFC 7574 §7.9: a 32-bit Live Discard Window of this value means "never discards".</summary>
    public const ulong NoDiscard32 = 0xFFFF_FFFF;

    /// <summary>RFC 7574 §7.9: a 64-bit Live Discard Window of this value means "never discards".</summary>
    public const ulong NoDiscard64 = ulong.MaxValue;

    /// <summary>RFC 7574 §7.2: the highest protocol version the sender supports (1 = RFC 7574).</summary>
    public byte? Version { get; init; }

    /// <summary>RFC 7574 §7.3: the lowest protocol version the sender supports; the initiator MUST send it.</summary>
    public byte? MinimumVersion { get; init; }

    /// <summary>RFC 7574 §7.4: the swarm id; for Shoal the resource's 20-byte RID. Empty when absent.</summary>
    public ReadOnlySpan<byte> SwarmId { get; init; }

    /// <summary>RFC 7574 §7.5.</summary>
    public ContentIntegrityProtectionMethod? ContentIntegrityProtectionMethod { get; init; }

    /// <summary>RFC 7574 §7.6.</summary>
    public MerkleHashFunction? MerkleHashFunction { get; init; }

    /// <summary>RFC 7574 §7.7.</summary>
    public LiveSignatureAlgorithm? LiveSignatureAlgorithm { get; init; }

    /// <summary>RFC 7574 §7.8.</summary>
    public ChunkAddressingMethod? ChunkAddressing { get; init; }

    /// <summary>RFC 7574 §7.9: chunks (or bytes) kept behind the newest one advertised; 32 or 64 bits wide by the addressing method.</summary>
    public ulong? LiveDiscardWindow { get; init; }

    /// <summary>RFC 7574 §7.10: absent means the peer supports every message type.</summary>
    public SupportedMessages? SupportedMessages { get; init; }

    /// <summary>RFC 7574 §7.11: bytes per chunk, or <see cref="WireFormat.VariableChunkSize"/>.</summary>
    public uint? ChunkSize { get; init; }

    /// <summary>Whether the option list is empty, as in a close HANDSHAKE may be (RFC 7574 §8.4).</summary>
    public bool IsEmpty => Version is null && MinimumVersion is null && SwarmId.IsEmpty && ContentIntegrityProtectionMethod is null
        && MerkleHashFunction is null && LiveSignatureAlgorithm is null && ChunkAddressing is null && LiveDiscardWindow is null
        && SupportedMessages is null && ChunkSize is null;
}
