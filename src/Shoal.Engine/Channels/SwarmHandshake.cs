using Shoal.Core.Identity;
using Shoal.Protocol;

namespace Shoal.Engine.Channels;

/// <summary>
/// The swarm-level HANDSHAKE options (RFC 7574 §7) a channel announces: which swarm, and how its content is
/// protected and addressed. Both ends of a channel must agree on them; the wire layout follows from them.
/// </summary>
public sealed record SwarmHandshake(Rid SwarmId)
{
    /// <summary>RFC 7574 §7.5.</summary>
    public ContentIntegrityProtectionMethod IntegrityProtection { get; init; } = ContentIntegrityProtectionMethod.MerkleHashTree;

    /// <summary>RFC 7574 §7.6: SHA-256 by default in Shoal (SEAMS.md).</summary>
    public MerkleHashFunction MerkleHashFunction { get; init; } = MerkleHashFunction.Sha256;

    /// <summary>RFC 7574 §7.7: only announced for live swarms (signed Merkle subtree roots).</summary>
    public LiveSignatureAlgorithm? LiveSignatureAlgorithm { get; init; }

    /// <summary>RFC 7574 §7.8: 32-bit chunk ranges in Shoal (SEAMS.md).</summary>
    public ChunkAddressingMethod ChunkAddressing { get; init; } = ChunkAddressingMethod.ChunkRanges32;

    /// <summary>RFC 7574 §7.11: 1 KiB in Shoal (SEAMS.md).</summary>
    public uint ChunkSize { get; init; } = WireFormat.DefaultChunkSize;

    /// <summary>RFC 7574 §7.9: for live swarms, the chunks kept behind the newest one.</summary>
    public ulong? LiveDiscardWindow { get; init; }

    /// <summary>RFC 7574 §7.10: the message types this end accepts.</summary>
    public SupportedMessages SupportedMessages { get; init; } = SupportedMessages.Shoal;

    /// <summary>The wire layout these options imply.</summary>
    public WireFormat Format
    {
        get
        {
            var signature = LiveSignatureAlgorithm ?? Protocol.LiveSignatureAlgorithm.Ed25519;
            return WireFormat.For(ChunkAddressing, MerkleHashFunction, signature, ChunkSize);
        }
    }
}
