namespace Shoal.Media.Hls;

/// <summary>Limits that keep a hostile or broken playlist from costing unbounded memory or time.</summary>
public sealed record HlsParserOptions
{
    /// <summary>Default: 8 Mi characters; a 100,000-segment VOD playlist is under 5 MB.</summary>
    public const int DefaultMaxCharacters = 8 * 1024 * 1024;

    /// <summary>Default: 64 Ki characters per line (long URIs with tokens, long attribute lists).</summary>
    public const int DefaultMaxLineLength = 64 * 1024;

    /// <summary>Default: 100,000 segments or variants.</summary>
    public const int DefaultMaxEntries = 100_000;

    /// <summary>The defaults.</summary>
    public static HlsParserOptions Default { get; } = new();

    /// <summary>Longest input accepted, in characters.</summary>
    public int MaxCharacters { get; init; } = DefaultMaxCharacters;

    /// <summary>Longest line accepted, in characters.</summary>
    public int MaxLineLength { get; init; } = DefaultMaxLineLength;

    /// <summary>Most segments (media playlist) or variants plus renditions (master playlist) accepted.</summary>
    public int MaxEntries { get; init; } = DefaultMaxEntries;
}
