using Shoal.Core.Content;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Core.Fragmentation;

/// <summary>
/// PPIO's rule for HLS and DASH ("TS"/fMP4): one segment per media segment, named by its media sequence number, cut
/// into fixed-size pieces inside (see <see cref="SegmentLayout"/>).
/// </summary>
public static class MediaSegmentFragmenter
{
    /// <summary>The manifest entry of one media segment; false with a reason when it cannot be one.</summary>
    public static bool TryCut(
        long mediaSequence,
        string uri,
        ReadOnlySpan<byte> content,
        TimeSpan? duration,
        MerkleHashFunction hashFunction,
        out SegmentEntry entry,
        out string error)
    {
        entry = null!;
        if (content.Length > ChunkAddressing.MaxSegmentLength)
        {
            error = $"Media segment {mediaSequence} ({uri}) is {content.Length} bytes; Shoal carries media segments of at most {ChunkAddressing.MaxSegmentLength} bytes (16 MiB): use shorter segments or a lower bitrate.";
            return false;
        }

        if (duration is { } d)
        {
            // Manifests keep durations in whole microseconds, so round here rather than refuse a playlist's value.
            duration = TimeSpan.FromMicroseconds(Math.Round(d.TotalMicroseconds));
        }

        var candidate = new SegmentEntry(mediaSequence, uri ?? string.Empty, null, content.Length, duration, MerkleHash.SegmentRoot(hashFunction, content));
        if (candidate.Validate(hashFunction) is { } invalid)
        {
            error = invalid;
            return false;
        }

        entry = candidate;
        error = string.Empty;
        return true;
    }
}
