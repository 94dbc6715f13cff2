namespace Shoal.Media.Hls;

/// <summary>
/// One tag or comment line of a playlist kept as written, so tags this parser does not model survive a
/// parse/write round trip (RFC 8216 §4.1: clients ignore unknown tags; a rewriting proxy must pass them on).
/// </summary>
/// <param name="Name">The text after '#' up to the first ':' (for example <c>EXT-X-PROGRAM-DATE-TIME</c>).</param>
/// <param name="Value">The text after the first ':', or null when the line has none.</param>
public sealed record HlsTag(string Name, string? Value)
{
    /// <summary>True for a line RFC 8216 §4.1 calls a tag (starts with <c>#EXT</c>); other '#' lines are comments.</summary>
    public bool IsTag => Name.StartsWith("EXT", StringComparison.Ordinal);

    /// <summary>The line as it appears in a playlist.</summary>
    public override string ToString() => Value is null ? "#" + Name : "#" + Name + ":" + Value;

    internal static HlsTag FromLine(string line)
    {
        var body = line.AsSpan(1);
        var colon = body.IndexOf(':');
        return colon < 0 ? new HlsTag(body.ToString(), null) : new HlsTag(body[..colon].ToString(), body[(colon + 1)..].ToString());
    }
}
