namespace Shoal.Core.Integrity;

/// <summary>The hash function of a Merkle tree, numbered as RFC 7574 §7.6 numbers its "Merkle Hash Tree Function" option.</summary>
public enum MerkleHashFunction : byte
{
    /// <summary>SHA-1 (20-byte hashes): supported for RFC 7574 peers that only speak the RFC's historical default.</summary>
    Sha1 = 0,

    /// <summary>SHA-256 (32-byte hashes): Shoal's default.</summary>
    Sha256 = 2,
}
