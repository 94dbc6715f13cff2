using Shoal.Core.Integrity;

namespace Shoal.Core.Fragmentation;

/// <summary>One HTTP-FLV live slice ("VS"): whole tags from a keyframe on, lasting at least the minimum duration.</summary>
/// <param name="Sequence">The slice's name: its first keyframe's timestamp divided by the minimum duration, so nodes
/// that joined the stream at different moments give the same slice the same number.</param>
/// <param name="Offset">Offset of its first tag in this node's byte stream (differs between nodes; not in manifests).</param>
/// <param name="Length">Bytes of whole tags, each with its PreviousTagSize.</param>
/// <param name="StartTimestamp">Timestamp (ms) of its first tag.</param>
/// <param name="Duration">From its first tag to the next slice's first tag (or to its own last tag at the end).</param>
/// <param name="StartsAtKeyframe">False only for the continuation of a slice that reached 16 MiB without a keyframe.</param>
/// <param name="Root">The Merkle root of its bytes.</param>
public sealed record FlvSlice(long Sequence, long Offset, long Length, long StartTimestamp, TimeSpan Duration, bool StartsAtKeyframe, Digest Root);
