namespace Shoal.Node.Origin;

/// <summary>Settings of the replayed live channel of <c>shoal origin --live</c>.</summary>
public sealed record LiveChannelOptions
{
    /// <summary>Segments listed in the sliding media playlist (RFC 8216 §6.2.2 asks for at least three target durations).</summary>
    public int WindowSegments { get; init; } = DefaultWindowSegments;

    /// <summary>How many segments behind the window an aired segment stays fetchable, for slow or lagging clients.</summary>
    public int RetainedSegmentsBehindWindow { get; init; } = DefaultRetainedSegmentsBehindWindow;

    /// <summary>Used for a folder of .ts files without a playlist to read durations from.</summary>
    public double DefaultSegmentSeconds { get; init; } = DefaultSegmentDuration;

    public const int DefaultWindowSegments = 6;
    public const int DefaultRetainedSegmentsBehindWindow = 12;
    public const double DefaultSegmentDuration = 4.0;
}
