namespace Shoal.Engine.Scheduling;

/// <summary>
/// What the scheduler knows of one segment: its size, how it cuts into pieces, where it sits on the media
/// timeline and, for live, when the origin published it. Built by the swarm from the manifest.
/// </summary>
/// <param name="Sequence">The segment's sequence number (HLS media sequence, file slice index).</param>
/// <param name="Length">The segment's length in bytes.</param>
/// <param name="PieceSize">The resource's piece size in bytes; the last piece may be shorter.</param>
/// <param name="MediaStart">Seconds on the media timeline where the segment starts.</param>
/// <param name="Duration">The segment's media duration in seconds (for a file, its length over the nominal byte rate).</param>
public sealed record SegmentTiming(long Sequence, long Length, int PieceSize, double MediaStart, double Duration)
{
    public int PieceCount => (int)((Length + PieceSize - 1) / PieceSize);

    public double MediaEnd => MediaStart + Duration;

    public long PieceOffset(int index) => (long)index * PieceSize;

    public int PieceLength(int index) => (int)Math.Min(PieceSize, Length - PieceOffset(index));

    /// <summary>
    /// The media time at which the player needs piece <paramref name="index"/>: bytes are assumed spread evenly
    /// over the segment's duration, which holds closely enough for constant-bit-rate media and errs early otherwise
    /// for the first pieces (they carry the keyframe).
    /// </summary>
    public double MediaTimeOf(int index) => MediaStart + Duration * index / Math.Max(1, PieceCount);
}
