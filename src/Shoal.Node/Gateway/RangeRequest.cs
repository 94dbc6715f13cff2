using System.Globalization;
using Shoal.Node.Fetching;

namespace Shoal.Node.Gateway;

/// <summary>Interprets a request's Range header against a resource length (RFC 9110 §14.1.2, single ranges).</summary>
internal static class RangeRequest
{
    /// <summary>What the server should do with a Range header.</summary>
    public enum Outcome
    {
        /// <summary>No usable Range header (absent, another unit, or several ranges): serve the whole resource, 200.</summary>
        Whole,

        /// <summary>Serve the one range, 206.</summary>
        Partial,

        /// <summary>No byte of the range exists: 416 with Content-Range "bytes */length".</summary>
        Unsatisfiable,
    }

    public static Outcome Evaluate(string? header, long length, out ByteRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Whole;
        }

        var spec = header["bytes=".Length..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            // RFC 9110 §14.2: a server may ignore a Range header; several ranges (multipart) are not worth it here.
            return Outcome.Whole;
        }

        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return Outcome.Whole;
        }

        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();
        if (firstText.Length == 0)
        {
            // Suffix range: the last N bytes.
            if (!long.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return Outcome.Whole;
            }

            if (suffix == 0 || length == 0)
            {
                return Outcome.Unsatisfiable;
            }

            range = new ByteRange(Math.Max(0, length - suffix), length - 1);
            return Outcome.Partial;
        }

        if (!long.TryParse(firstText, NumberStyles.None, CultureInfo.InvariantCulture, out var first))
        {
            return Outcome.Whole;
        }

        var last = length - 1;
        if (lastText.Length > 0)
        {
            if (!long.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first)
            {
                return Outcome.Whole;
            }
        }

        if (first >= length)
        {
            return Outcome.Unsatisfiable;
        }

        range = new ByteRange(first, Math.Min(last, length - 1));
        return Outcome.Partial;
    }
}
