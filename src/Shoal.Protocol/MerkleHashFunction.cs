namespace Shoal.Protocol;

/// <summary>The hash function of a swarm's Merkle trees (RFC 7574 §7.6, Table 5).</summary>
public enum MerkleHashFunction : byte
{
    /// <summary>SHA-1: the RFC's default and mandatory to implement; Shoal supports it.</summary>
    Sha1 = 0,
    Sha224 = 1,

    /// <summary>SHA-256: Shoal's default (SEAMS.md).</summary>
    Sha256 = 2,
    Sha384 = 3,
    Sha512 = 4,
}
