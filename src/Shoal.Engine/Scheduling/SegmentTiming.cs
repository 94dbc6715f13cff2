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
/// <param name="WholeSegment">
/// True when the player needs the whole segment before it plays any of it (an HLS or DASH player fetches a segment with
/// one GET and appends it whole): every piece is then due when the segment starts. False for byte streams (files,
/// HTTP-FLV) that play as bytes arrive: a piece is due when the playhead reaches its bytes.
/// </param>
public sealed record SegmentTiming(long Sequence, long Length, int PieceSize, double MediaStart, double Duration, bool WholeSegment = false)
{
    public int PieceCount => (int)((Length + PieceSize - 1) / PieceSize);

    public double MediaEnd => MediaStart + Duration;

    public long PieceOffset(int index) => (long)index * PieceSize;

    public int PieceLength(int index) => (int)Math.Min(PieceSize, Length - PieceOffset(index));

    /// <summary>
    /// The media time at which the player needs piece <paramref name="index"/>: the segment's start for whole-segment
    /// players; otherwise bytes are assumed spread evenly over the segment's duration, which holds closely enough for
    /// constant-bit-rate media.
    /// </summary>
    public double MediaTimeOf(int index) => WholeSegment ? MediaStart : MediaStart + Duration * index / Math.Max(1, PieceCount);
}
