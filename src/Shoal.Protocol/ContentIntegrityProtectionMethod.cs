namespace Shoal.Protocol;

/// <summary>How a swarm's content is protected (RFC 7574 §7.5, Table 4, with verified erratum 4880: 0 is unassigned).</summary>
public enum ContentIntegrityProtectionMethod : byte
{
    /// <summary>Static content: one Merkle hash tree (RFC 7574 §5); Shoal keeps one tree per segment.</summary>
    MerkleHashTree = 1,

    /// <summary>Live content: every chunk signed (RFC 7574 §6.1.1).</summary>
    SignAll = 2,

    /// <summary>Live content: Merkle subtrees with signed roots (RFC 7574 §6.1.2), the RFC's default for live.</summary>
    UnifiedMerkleTree = 3,
}
