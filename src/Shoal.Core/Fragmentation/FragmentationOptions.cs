using Shoal.Core.Content;
using Shoal.Core.Integrity;

namespace Shoal.Core.Fragmentation;

/// <summary>How a resource is cut; every node must use the same values for the same resource (the manifest carries them).</summary>
/// <param name="SegmentSize">Bytes per segment of a plain file or an FLV VOD stream (the last one may be shorter).</param>
/// <param name="PieceSize">Bytes per piece (the last piece of a segment may be shorter).</param>
/// <param name="FlvMinimumSliceDuration">The shortest an HTTP-FLV live slice may be (it also sets the time grid that
/// names slices).</param>
/// <param name="HashFunction">The Merkle hash function of segment roots.</param>
public sealed record FragmentationOptions(
    long SegmentSize = FragmentationOptions.DefaultSegmentSize,
    int PieceSize = SegmentLayout.DefaultPieceSize,
    TimeSpan FlvMinimumSliceDuration = default,
    MerkleHashFunction HashFunction = MerkleHashFunction.Sha256)
{
    /// <summary>4 MiB: few enough segments for a manifest, small enough to fetch one quickly from the origin.</summary>
    public const long DefaultSegmentSize = 4L << 20;

    /// <summary>2 s: a common GOP multiple, so slices usually start on every other keyframe or so.</summary>
    public static readonly TimeSpan DefaultFlvMinimumSliceDuration = TimeSpan.FromSeconds(2);

    /// <summary>The minimum FLV slice duration, with the default filled in.</summary>
    public TimeSpan EffectiveFlvMinimumSliceDuration =>
        FlvMinimumSliceDuration == default ? DefaultFlvMinimumSliceDuration : FlvMinimumSliceDuration;

    /// <summary>Throws <see cref="ArgumentException"/> with the reason when the options break a rule.</summary>
    public FragmentationOptions Validated()
    {
        if (SegmentLayout.ValidatePieceSize(PieceSize) is { } pieceError)
        {
            throw new ArgumentException(pieceError);
        }

        if (SegmentSize < PieceSize || SegmentSize > ChunkAddressing.MaxSegmentLength || SegmentSize % PieceSize != 0)
        {
            throw new ArgumentException($"The segment size {SegmentSize} must be a multiple of the piece size {PieceSize}, at most {ChunkAddressing.MaxSegmentLength}.");
        }

        if (EffectiveFlvMinimumSliceDuration <= TimeSpan.Zero || EffectiveFlvMinimumSliceDuration.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentException($"The minimum FLV slice duration {FlvMinimumSliceDuration} must be a positive whole number of milliseconds.");
        }

        if (!MerkleHash.IsSupported(HashFunction))
        {
            throw new ArgumentException($"Unsupported Merkle hash function {HashFunction}.");
        }

        return this;
    }
}
