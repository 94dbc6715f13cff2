using System.Globalization;
using System.Text;

namespace Shoal.Media.Hls;

/// <summary>
/// An RFC 8216 §4.2 attribute list (<c>NAME=value,NAME="quoted"</c>) with its values kept as written, in
/// order, so a tag can be read, changed one attribute at a time and written back without losing anything.
/// </summary>
public sealed class HlsAttributeList
{
    private readonly KeyValuePair<string, string>[] _attributes;

    private HlsAttributeList(KeyValuePair<string, string>[] attributes) => _attributes = attributes;

    /// <summary>An empty list.</summary>
    public static HlsAttributeList Empty { get; } = new([]);

    /// <summary>The attributes in order; values as written (quoted strings keep their quotes).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes;

    /// <summary>Parses an attribute list; false with a reason on a malformed one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out HlsAttributeList list, out string error)
    {
        list = Empty;
        error = "";
        var items = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < text.Length)
        {
            var nameStart = i;
            while (i < text.Length && IsNameChar(text[i]))
            {
                i++;
            }

            if (i == nameStart || i >= text.Length || text[i] != '=')
            {
                error = $"attribute list: expected NAME= at column {nameStart + 1}";
                return false;
            }

            var name = text[nameStart..i].ToString();
            i++;
            var valueStart = i;
            if (i < text.Length && text[i] == '"')
            {
                var close = text[(i + 1)..].IndexOf('"');
                if (close < 0)
                {
                    error = $"attribute {name}: unterminated quoted string";
                    return false;
                }

                i += close + 2;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    if (text[i] == '"' || char.IsWhiteSpace(text[i]))
                    {
                        error = $"attribute {name}: unexpected character in value";
                        return false;
                    }

                    i++;
                }
            }

            if (i == valueStart)
            {
                error = $"attribute {name}: empty value";
                return false;
            }

            items.Add(new(name, text[valueStart..i].ToString()));
            if (i < text.Length)
            {
                if (text[i] != ',')
                {
                    error = $"attribute {name}: expected ',' after the value";
                    return false;
                }

                i++;
                if (i == text.Length)
                {
                    error = "attribute list: trailing ','";
                    return false;
                }
            }
        }

        list = new HlsAttributeList([.. items]);
        return true;
    }

    /// <summary>The value as written, or null when absent.</summary>
    public string? GetRaw(string name)
    {
        foreach (var (key, value) in _attributes)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>A quoted-string value without its quotes (or an enumerated value as is); null when absent.</summary>
    public string? GetString(string name) => GetRaw(name) is { } raw ? Unquote(raw) : null;

    /// <summary>A decimal-integer value; null when absent or malformed.</summary>
    public long? GetInteger(string name) =>
        GetRaw(name) is { } raw && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>A decimal-floating-point value; null when absent or malformed.</summary>
    public double? GetDecimal(string name) =>
        GetRaw(name) is { } raw && double.TryParse(raw, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    /// <summary>A decimal-resolution value (<c>1280x720</c>); null when absent or malformed.</summary>
    public (int Width, int Height)? GetResolution(string name)
    {
        if (GetRaw(name) is not { } raw)
        {
            return null;
        }

        var x = raw.IndexOf('x', StringComparison.Ordinal);
        return x > 0
            && int.TryParse(raw.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(raw.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            ? (w, h) : null;
    }

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="rawValue"/> (replaced in place, or appended).</summary>
    public HlsAttributeList With(string name, string rawValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(rawValue);
        var copy = new List<KeyValuePair<string, string>>(_attributes.Length + 1);
        var replaced = false;
        foreach (var pair in _attributes)
        {
            if (pair.Key == name)
            {
                copy.Add(new(name, rawValue));
                replaced = true;
            }
            else
            {
                copy.Add(pair);
            }
        }

        if (!replaced)
        {
            copy.Add(new(name, rawValue));
        }

        return new HlsAttributeList([.. copy]);
    }

    /// <summary>A copy with a quoted-string attribute set; quotes and line breaks cannot be carried (RFC 8216 §4.2).</summary>
    public HlsAttributeList WithString(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('"', '\r', '\n') >= 0)
        {
            throw new ArgumentException("An HLS quoted-string cannot contain '\"', CR or LF.", nameof(value));
        }

        return With(name, "\"" + value + "\"");
    }

    /// <summary>The list as written in a tag.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in _attributes)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(key).Append('=').Append(value);
        }

        return sb.ToString();
    }

    internal static string Unquote(string raw) =>
        raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"' ? raw[1..^1] : raw;

    private static bool IsNameChar(char c) => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-';
}
