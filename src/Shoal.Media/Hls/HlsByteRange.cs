using System.Globalization;

namespace Shoal.Media.Hls;

/// <summary>A sub-range of a resource, as EXT-X-BYTERANGE and EXT-X-MAP's BYTERANGE give it (RFC 8216 §4.3.2.2).</summary>
/// <param name="Length">Length in bytes.</param>
/// <param name="Offset">Start offset, or null for "just after the previous sub-range of the same URI".</param>
public readonly record struct HlsByteRange(long Length, long? Offset)
{
    /// <summary>Parses <c>n[@o]</c>; rejects negative, overflowing or malformed numbers.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out HlsByteRange range)
    {
        range = default;
        var at = text.IndexOf('@');
        var lengthText = at < 0 ? text : text[..at];
        if (!TryParseNonNegative(lengthText, out var length))
        {
            return false;
        }

        long? offset = null;
        if (at >= 0)
        {
            if (!TryParseNonNegative(text[(at + 1)..], out var o))
            {
                return false;
            }

            offset = o;
        }

        range = new HlsByteRange(length, offset);
        return true;
    }

    /// <summary>The <c>n[@o]</c> form.</summary>
    public override string ToString() => Offset is { } o
        ? string.Create(CultureInfo.InvariantCulture, $"{Length}@{o}")
        : Length.ToString(CultureInfo.InvariantCulture);

    internal static bool TryParseNonNegative(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
