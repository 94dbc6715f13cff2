namespace Shoal.Engine.Storage;

/// <summary>The outcome of checking a piece a peer sent.</summary>
internal enum PieceCheck
{
    /// <summary>It matches the segment's Merkle root: kept.</summary>
    Verified,

    /// <summary>It contradicts the root (bad bytes or bad uncle hashes): the sender lied.</summary>
    Corrupt,

    /// <summary>An uncle hash needed to check it never arrived (INTEGRITY is unreliable): dropped, nobody blamed.</summary>
    Unverifiable,
}
