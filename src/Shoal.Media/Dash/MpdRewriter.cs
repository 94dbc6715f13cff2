using System.Xml.Linq;
using static Shoal.Media.Dash.MpdTree;

namespace Shoal.Media.Dash;

/// <summary>
/// Rewrites every segment URL of an MPD (a gateway points them at itself). Each representation gets its
/// own complete SegmentTemplate or SegmentList with absolute, rewritten URLs, and inherited BaseURLs are
/// removed, so the result no longer depends on where the MPD is served from.
/// </summary>
public static class MpdRewriter
{
    /// <summary>
    /// Rewrites <paramref name="xml"/> fetched from <paramref name="mpdUrl"/>; <paramref name="rewrite"/> receives
    /// absolute URLs (templates with their $...$ identifiers intact, see <see cref="DashTemplate.MapLiterals"/>).
    /// </summary>
    public static bool TryRewrite(string xml, Uri mpdUrl, Func<MpdUriReference, string> rewrite, MpdParserOptions? options, out string result, out MpdParseError error)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(mpdUrl);
        ArgumentNullException.ThrowIfNull(rewrite);
        options ??= MpdParserOptions.Default;
        try
        {
            var doc = Load(xml, options.MaxCharacters);
            Rewrite(doc, mpdUrl, rewrite);
            result = (doc.Declaration is { } declaration ? declaration + "\n" : "") + doc.Root!.ToString(SaveOptions.DisableFormatting);
            error = default;
            return true;
        }
        catch (MpdFormatException e)
        {
            result = "";
            error = new MpdParseError(e.Message);
            return false;
        }
    }

    private static void Rewrite(XDocument doc, Uri mpdUrl, Func<MpdUriReference, string> rewrite)
    {
        var root = doc.Root!;
        var ns = root.Name.Namespace;
        var rootBase = BaseUrl(root, mpdUrl);
        var edits = new List<Action>();
        foreach (var location in Children(root, "Location").ToArray())
        {
            var absolute = Resolve(mpdUrl, location.Value);
            edits.Add(() => location.Value = rewrite(new MpdUriReference(MpdUriKind.Location, absolute.AbsoluteUri)));
        }

        foreach (var period in Children(root, "Period"))
        {
            var periodBase = BaseUrl(period, rootBase);
            foreach (var set in Children(period, "AdaptationSet"))
            {
                var setBase = BaseUrl(set, periodBase);
                foreach (var rep in Children(set, "Representation"))
                {
                    var repBase = BaseUrl(rep, setBase);
                    var info = Effective(period, set, rep);
                    edits.Add(info.Kind switch
                    {
                        SegmentKind.Template => () => MaterialiseTemplate(ns, rep, info, repBase, rewrite),
                        SegmentKind.List => () => MaterialiseList(ns, rep, info, repBase, rewrite),
                        _ => () => AddBaseUrl(ns, rep, rewrite(new MpdUriReference(MpdUriKind.Base, repBase.AbsoluteUri))),
                    });
                }
            }
        }

        // Every base is computed before anything changes; only then the old BaseURLs go.
        foreach (var baseUrl in root.Descendants().Where(e => e.Name.LocalName == "BaseURL").ToArray())
        {
            baseUrl.Remove();
        }

        foreach (var edit in edits)
        {
            edit();
        }
    }

    private static void MaterialiseTemplate(XNamespace ns, XElement rep, SegmentInfo info, Uri baseUrl, Func<MpdUriReference, string> rewrite)
    {
        var own = Child(rep, "SegmentTemplate");
        if (own is null)
        {
            own = new XElement(ns + "SegmentTemplate");
            rep.Add(own);
        }

        foreach (var (name, value) in info.Attributes)
        {
            var kind = name switch
            {
                "media" => MpdUriKind.MediaTemplate,
                "initialization" => MpdUriKind.InitializationTemplate,
                "index" => MpdUriKind.IndexTemplate,
                _ => (MpdUriKind?)null,
            };
            own.SetAttributeValue(name, kind is { } k ? rewrite(new MpdUriReference(k, ResolveTemplate(value, baseUrl))) : value);
        }

        if (info.Timeline is { } timeline && Child(own, "SegmentTimeline") is null)
        {
            own.Add(new XElement(timeline));
        }

        if (Child(own, "Initialization") is null && info.Initialization is { } inherited)
        {
            own.AddFirst(new XElement(inherited));
        }

        RewriteInitialization(own, baseUrl, rewrite);
    }

    private static void MaterialiseList(XNamespace ns, XElement rep, SegmentInfo info, Uri baseUrl, Func<MpdUriReference, string> rewrite)
    {
        var own = Child(rep, "SegmentList");
        if (own is null)
        {
            own = new XElement(ns + "SegmentList");
            rep.Add(own);
        }

        foreach (var (name, value) in info.Attributes)
        {
            own.SetAttributeValue(name, value);
        }

        if (Child(own, "Initialization") is null && info.Initialization is { } inherited)
        {
            own.AddFirst(new XElement(inherited));
        }

        if (!Children(own, "SegmentURL").Any())
        {
            foreach (var url in info.SegmentUrls)
            {
                own.Add(new XElement(url));
            }
        }

        foreach (var url in Children(own, "SegmentURL"))
        {
            var absolute = Attr(url, "media") is { } media ? Resolve(baseUrl, media) : baseUrl;
            url.SetAttributeValue("media", rewrite(new MpdUriReference(MpdUriKind.Segment, absolute.AbsoluteUri)));
        }

        RewriteInitialization(own, baseUrl, rewrite);
    }

    private static void RewriteInitialization(XElement segmentInfo, Uri baseUrl, Func<MpdUriReference, string> rewrite)
    {
        if (Child(segmentInfo, "Initialization") is { } init)
        {
            var absolute = Attr(init, "sourceURL") is { } source ? Resolve(baseUrl, source) : baseUrl;
            init.SetAttributeValue("sourceURL", rewrite(new MpdUriReference(MpdUriKind.Initialization, absolute.AbsoluteUri)));
        }
    }

    private static void AddBaseUrl(XNamespace ns, XElement rep, string url)
    {
        var element = new XElement(ns + "BaseURL", url);
        var anchor = rep.Elements().FirstOrDefault(e => e.Name.LocalName is "SubRepresentation" or "SegmentBase" or "SegmentList" or "SegmentTemplate");
        if (anchor is null)
        {
            rep.Add(element);
        }
        else
        {
            anchor.AddBeforeSelf(element);
        }
    }

    private static string ResolveTemplate(string text, Uri baseUrl)
    {
        if (!DashTemplate.TryParse(text, out var template, out var why))
        {
            throw new MpdFormatException(why);
        }

        return template.TryResolve(baseUrl, out var absolute)
            ? absolute
            : throw new MpdFormatException($"template '{text}' does not resolve against '{baseUrl}'");
    }

    private static Uri Resolve(Uri baseUrl, string relative) =>
        Uri.TryCreate(baseUrl, relative.Trim(), out var url) ? url : throw new MpdFormatException($"'{relative}' is not a valid URL");
}
