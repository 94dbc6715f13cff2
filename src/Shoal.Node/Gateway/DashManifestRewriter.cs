using System.Xml;
using System.Xml.Linq;

namespace Shoal.Node.Gateway;

/// <summary>
/// Rewrites a DASH MPD (ISO/IEC 23009-1) so that its segments resolve to the gateway: absolute BaseURLs and the
/// live MPD's Location become gateway URLs, and an MPD without a top-level BaseURL gets one pointing at the gateway
/// form of the MPD's own folder, so SegmentTemplate and SegmentList references (relative to it) land on the gateway.
/// </summary>
internal static class DashManifestRewriter
{
    public static bool TryRewrite(string text, Uri mpdUrl, out string rewritten, out string error)
    {
        rewritten = string.Empty;
        XDocument document;
        try
        {
            document = XDocument.Parse(text, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            error = $"{mpdUrl} is not a well-formed MPD: {e.Message}";
            return false;
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "MPD")
        {
            error = $"{mpdUrl} is not a DASH MPD (its root element is not <MPD>)";
            return false;
        }

        var ns = root.Name.Namespace;
        foreach (var element in root.Descendants().Where(e => e.Name.LocalName is "BaseURL").ToList())
        {
            var value = element.Value.Trim();
            var resolved = element.Parent == root ? Uri.TryCreate(mpdUrl, value, out var absolute) : Uri.TryCreate(value, UriKind.Absolute, out absolute);
            if (resolved && absolute!.Scheme is "http" or "https")
            {
                element.Value = GatewayUrls.ForDirectory(absolute.AbsoluteUri.EndsWith('/') ? absolute : new Uri(absolute.AbsoluteUri + "/"));
            }
        }

        foreach (var location in root.Elements().Where(e => e.Name.LocalName == "Location").ToList())
        {
            if (Uri.TryCreate(mpdUrl, location.Value.Trim(), out var absolute))
            {
                location.Value = GatewayUrls.ForOrigin(absolute);
            }
        }

        if (!root.Elements().Any(e => e.Name.LocalName == "BaseURL"))
        {
            // ISO/IEC 23009-1 §5.3.1.2: BaseURL comes first among MPD's children, after the descriptive elements; players accept it first.
            root.AddFirst(new XElement(ns + "BaseURL", GatewayUrls.ForDirectory(mpdUrl)));
        }

        rewritten = document.Declaration is null ? document.ToString(SaveOptions.DisableFormatting) : document.Declaration + document.ToString(SaveOptions.DisableFormatting);
        error = string.Empty;
        return true;
    }
}
