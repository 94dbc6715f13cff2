using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Shoal.Media.Dash;

/// <summary>
/// The MPD's XML with the inheritance rules the reader and the rewriter share: BaseURL chains and
/// SegmentTemplate/SegmentList/SegmentBase merged from Period to AdaptationSet to Representation
/// (ISO/IEC 23009-1 §5.3.9.1). Helpers throw <see cref="MpdFormatException"/>; the public entry points catch it.
/// </summary>
internal static class MpdTree
{
    public static XDocument Load(string xml, int maxCharacters)
    {
        if (xml.Length > maxCharacters)
        {
            throw new MpdFormatException($"larger than the {maxCharacters}-character limit");
        }

        // No DTDs and no resolver: an MPD has no business expanding entities or fetching anything (XXE, billion laughs).
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreComments = false,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            var doc = XDocument.Load(reader, LoadOptions.None);
            if (doc.Root is null || doc.Root.Name.LocalName != "MPD")
            {
                throw new MpdFormatException("the root element is not <MPD>");
            }

            return doc;
        }
        catch (XmlException e)
        {
            throw new MpdFormatException("not well-formed XML: " + e.Message);
        }
    }

    public static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    public static XElement? Child(XElement parent, string localName) => Children(parent, localName).FirstOrDefault();

    public static string? Attr(XElement? element, string name) => element?.Attribute(name)?.Value;

    public static long? Long(XElement? element, string name)
    {
        var text = Attr(element, name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new MpdFormatException($"@{name}='{text}' is not an integer");
    }

    public static TimeSpan? Duration(XElement? element, string name)
    {
        var text = Attr(element, name);
        if (text is null)
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(text.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new MpdFormatException($"@{name}='{text}' is not an xs:duration");
        }
    }

    public static DateTimeOffset? DateTime(XElement? element, string name)
    {
        var text = Attr(element, name);
        if (text is null)
        {
            return null;
        }

        try
        {
            return XmlConvert.ToDateTimeOffset(text.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new MpdFormatException($"@{name}='{text}' is not an xs:dateTime");
        }
    }

    /// <summary>Resolves the first BaseURL child of <paramref name="element"/> against <paramref name="parent"/>.</summary>
    public static Uri BaseUrl(XElement element, Uri parent)
    {
        if (Child(element, "BaseURL") is not { } baseElement)
        {
            return parent;
        }

        var text = baseElement.Value.Trim();
        return Uri.TryCreate(parent, text, out var resolved)
            ? resolved
            : throw new MpdFormatException($"BaseURL '{text}' is not a valid URL");
    }

    /// <summary>The segment addressing in effect for a representation, merged along its ancestors.</summary>
    public static SegmentInfo Effective(XElement period, XElement adaptationSet, XElement representation)
    {
        XElement[] levels = [period, adaptationSet, representation];
        var templates = levels.Select(l => Child(l, "SegmentTemplate")).Where(e => e is not null).Cast<XElement>().ToArray();
        if (templates.Length > 0)
        {
            return Merge(SegmentKind.Template, templates);
        }

        var lists = levels.Select(l => Child(l, "SegmentList")).Where(e => e is not null).Cast<XElement>().ToArray();
        if (lists.Length > 0)
        {
            return Merge(SegmentKind.List, lists);
        }

        var bases = levels.Select(l => Child(l, "SegmentBase")).Where(e => e is not null).Cast<XElement>().ToArray();
        return Merge(SegmentKind.Base, bases);
    }

    private static SegmentInfo Merge(SegmentKind kind, XElement[] outerToInner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        XElement? timeline = null, initialization = null;
        XElement[] urls = [];
        foreach (var element in outerToInner)
        {
            foreach (var a in element.Attributes())
            {
                if (!a.IsNamespaceDeclaration)
                {
                    attributes[a.Name.LocalName] = a.Value;
                }
            }

            timeline = Child(element, "SegmentTimeline") ?? timeline;
            initialization = Child(element, "Initialization") ?? initialization;
            var own = Children(element, "SegmentURL").ToArray();
            if (own.Length > 0)
            {
                urls = own;
            }
        }

        return new SegmentInfo(kind, attributes, timeline, initialization, urls);
    }

    public enum SegmentKind
    {
        Template,
        List,
        Base,
    }

    public sealed record SegmentInfo(
        SegmentKind Kind,
        Dictionary<string, string> Attributes,
        XElement? Timeline,
        XElement? Initialization,
        XElement[] SegmentUrls)
    {
        public string? Get(string name) => Attributes.TryGetValue(name, out var v) ? v : null;

        public long GetLong(string name, long fallback)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            return long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new MpdFormatException($"@{name}='{text}' is not an integer");
        }
    }
}
