namespace Shoal.Media.Dash;

/// <summary>One media segment of a DASH representation, with its absolute URL (ISO/IEC 23009-1 §5.3.9).</summary>
/// <param name="Number">The segment number ($Number$, or the position in a SegmentList counted from startNumber).</param>
/// <param name="Url">The absolute URL of the segment.</param>
/// <param name="Time">The start time in timescale units ($Time$), when known.</param>
/// <param name="Duration">The duration in seconds, when known.</param>
/// <param name="ByteRange">The HTTP byte range (<c>first-last</c>) when the segment is a part of its URL, else null.</param>
public sealed record MpdSegment(long Number, Uri Url, long? Time, double? Duration, string? ByteRange);
