namespace Shoal.Tracker.Oracle;

/// <summary>One media segment of an HLS media playlist: its media sequence number, absolute URI and duration.</summary>
public sealed record PlaylistSegment(long Sequence, Uri Uri, TimeSpan? Duration);
