using Shoal.Core.Content;
using Shoal.Core.Integrity;

namespace Shoal.Core.Manifests;

/// <summary>Settings of a live manifest's chain of updates.</summary>
/// <param name="WindowSegments">Segments a live manifest keeps: older ones slide out.</param>
/// <param name="PieceSize">Bytes per piece.</param>
/// <param name="HashFunction">The Merkle hash function of the segments' roots.</param>
public sealed record LiveManifestOptions(
    int WindowSegments = LiveManifestOptions.DefaultWindowSegments,
    int PieceSize = SegmentLayout.DefaultPieceSize,
    MerkleHashFunction HashFunction = MerkleHashFunction.Sha256)
{
    /// <summary>Enough for a few minutes of 6-second segments: a node far behind live still finds its segments.</summary>
    public const int DefaultWindowSegments = 60;
}
