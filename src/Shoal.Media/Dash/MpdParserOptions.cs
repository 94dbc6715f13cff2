namespace Shoal.Media.Dash;

/// <summary>Limits and the clock a DASH reader needs; immutable, with named defaults.</summary>
public sealed record MpdParserOptions
{
    /// <summary>Default: 8 Mi characters of XML.</summary>
    public const int DefaultMaxCharacters = 8 * 1024 * 1024;

    /// <summary>Default: at most 100,000 segments listed per representation (a hostile SegmentTimeline @r cannot make more).</summary>
    public const int DefaultMaxSegmentsPerRepresentation = 100_000;

    /// <summary>The defaults.</summary>
    public static MpdParserOptions Default { get; } = new();

    /// <summary>Longest document accepted, in characters.</summary>
    public int MaxCharacters { get; init; } = DefaultMaxCharacters;

    /// <summary>Most segments listed per representation; more is an error.</summary>
    public int MaxSegmentsPerRepresentation { get; init; } = DefaultMaxSegmentsPerRepresentation;

    /// <summary>
    /// The wall-clock time for a dynamic MPD whose SegmentTemplate has no SegmentTimeline: the available
    /// segments follow from availabilityStartTime and now (ISO/IEC 23009-1 §5.3.9.5.3). Null: such an MPD is an error.
    /// </summary>
    public DateTimeOffset? Now { get; init; }
}
