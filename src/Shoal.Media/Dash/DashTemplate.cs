using System.Globalization;
using System.Text;

namespace Shoal.Media.Dash;

/// <summary>
/// A SegmentTemplate URL template (ISO/IEC 23009-1 §5.3.9.4.4): <c>$RepresentationID$</c>, <c>$Number$</c>,
/// <c>$Bandwidth$</c>, <c>$Time$</c> (the last three with an optional <c>%0Nd</c> width) and <c>$$</c>.
/// </summary>
public sealed class DashTemplate
{
    /// <summary>Widest %0Nd format accepted; wider is a hostile template.</summary>
    public const int MaxFormatWidth = 32;

    private readonly Part[] _parts;

    private DashTemplate(Part[] parts) => _parts = parts;

    /// <summary>Parses a template; false with a reason when an identifier is unknown or unterminated.</summary>
    public static bool TryParse(string template, out DashTemplate result, out string error)
    {
        ArgumentNullException.ThrowIfNull(template);
        result = new DashTemplate([]);
        error = "";
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c != '$')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var close = template.IndexOf('$', i + 1);
            if (close < 0)
            {
                error = $"template '{template}': unterminated $ identifier";
                return false;
            }

            var token = template[(i + 1)..close];
            if (token.Length == 0)
            {
                if (literal.Length > 0)
                {
                    parts.Add(new Part(literal.ToString(), null, 0));
                    literal.Clear();
                }

                parts.Add(new Part("$$", "$", 0));
            }
            else
            {
                var percent = token.IndexOf('%', StringComparison.Ordinal);
                var name = percent < 0 ? token : token[..percent];
                var width = 0;
                if (name is not ("RepresentationID" or "Number" or "Bandwidth" or "Time" or "SubNumber"))
                {
                    error = $"template '{template}': unknown identifier ${name}$";
                    return false;
                }

                if (percent >= 0)
                {
                    var format = token.AsSpan(percent + 1);
                    if (name == "RepresentationID" || format.Length < 2 || format[^1] != 'd' || format[0] != '0'
                        || !int.TryParse(format[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out width) || width > MaxFormatWidth)
                    {
                        error = $"template '{template}': format of ${name}$ must be %0Nd with N up to {MaxFormatWidth}";
                        return false;
                    }
                }

                if (literal.Length > 0)
                {
                    parts.Add(new Part(literal.ToString(), null, 0));
                    literal.Clear();
                }

                parts.Add(new Part("$" + token + "$", name, width));
            }

            i = close + 1;
        }

        if (literal.Length > 0)
        {
            parts.Add(new Part(literal.ToString(), null, 0));
        }

        result = new DashTemplate([.. parts]);
        return true;
    }

    /// <summary>The URL for one segment.</summary>
    public string Expand(string representationId, long number, long bandwidth, long time)
    {
        var sb = new StringBuilder();
        foreach (var part in _parts)
        {
            switch (part.Identifier)
            {
                case null: sb.Append(part.Text); break;
                case "$": sb.Append('$'); break;
                case "RepresentationID": sb.Append(representationId); break;
                case "Number" or "SubNumber": sb.Append(Format(number, part.Width)); break;
                case "Bandwidth": sb.Append(Format(bandwidth, part.Width)); break;
                default: sb.Append(Format(time, part.Width)); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The template with <paramref name="transform"/> applied to its literal text only, identifiers kept as
    /// written: how a gateway percent-encodes a template into its <c>/o/&lt;encoded URL&gt;</c> form so that
    /// the player still substitutes $Number$ (percent-encoding is per character, so encoding the pieces
    /// equals encoding the expanded URL).
    /// </summary>
    public string MapLiterals(Func<string, string> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        var sb = new StringBuilder();
        foreach (var part in _parts)
        {
            sb.Append(part.Identifier is null ? transform(part.Text) : part.Text);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Resolves the template against a base URL (RFC 3986 §5) without letting the URI parser escape its
    /// $...$ identifiers; false when the result is not a valid URL.
    /// </summary>
    public bool TryResolve(Uri baseUrl, out string absoluteTemplate)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var sb = new StringBuilder();
        for (var i = 0; i < _parts.Length; i++)
        {
            sb.Append(_parts[i].Identifier is null ? _parts[i].Text : Marker(i));
        }

        if (!Uri.TryCreate(baseUrl, sb.ToString(), out var resolved))
        {
            absoluteTemplate = "";
            return false;
        }

        var text = resolved.AbsoluteUri;
        for (var i = 0; i < _parts.Length; i++)
        {
            if (_parts[i].Identifier is not null)
            {
                text = text.Replace(Marker(i), _parts[i].Text, StringComparison.Ordinal);
            }
        }

        absoluteTemplate = text;
        return true;
    }

    /// <summary>The template as written.</summary>
    public override string ToString() => string.Concat(_parts.Select(p => p.Text));

    private static string Marker(int index) => string.Create(CultureInfo.InvariantCulture, $"zzshoaltemplate{index}zz");

    private static string Format(long value, int width) =>
        value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');

    private readonly record struct Part(string Text, string? Identifier, int Width);
}
