using System.Globalization;
using System.Text;
using Shoal.Core.Identity;

namespace Shoal.Node.Gateway;

/// <summary>
/// The gateway's URL form (SEAMS.md): <c>/o/&lt;percent-encoded origin URL&gt;</c>, optionally followed by
/// <c>/relative/path</c> (appended to the origin URL, so a DASH BaseURL can point at the gateway) and by the
/// gateway's own hints <c>?rid=&lt;hex&gt;&amp;seq=&lt;n&gt;&amp;live=1</c> on the media segments of a rewritten playlist.
/// </summary>
public static class GatewayUrls
{
    public const string Prefix = "/o/";

    /// <summary>The path-absolute gateway reference for an origin URL.</summary>
    public static string ForOrigin(Uri origin) => Prefix + Uri.EscapeDataString(origin.AbsoluteUri);

    public static string ForOrigin(string origin) => Prefix + Uri.EscapeDataString(origin);

    /// <summary>The gateway reference of one media segment of a resource, carrying its RID and sequence number.</summary>
    public static string ForSegment(Uri origin, Rid resource, long sequence, bool live) =>
        string.Create(CultureInfo.InvariantCulture, $"{ForOrigin(origin)}?rid={resource.ToHex()}&seq={sequence}{(live ? "&live=1" : string.Empty)}");

    /// <summary>
    /// Parses a request target (raw, still percent-encoded) into the origin URL and the gateway's hints. Returns
    /// false with a one-line reason for anything that is not a well-formed http(s) origin URL.
    /// </summary>
    public static bool TryParse(string rawTarget, out GatewayTarget target, out string error)
    {
        target = default;
        if (!rawTarget.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"expected {Prefix}<percent-encoded origin URL>";
            return false;
        }

        var rest = rawTarget[Prefix.Length..];
        var query = string.Empty;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var encoded = slash < 0 ? rest : rest[..slash];
        var suffix = slash < 0 ? string.Empty : rest[slash..];
        if (encoded.Length == 0)
        {
            error = $"no origin URL after {Prefix}; encode it, e.g. {ForOrigin("http://cdn.example/live/index.m3u8")}";
            return false;
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(encoded) + suffix;
        }
        catch (UriFormatException e)
        {
            error = $"the origin URL is not percent-encoded properly: {e.Message}";
            return false;
        }

        if (!OriginUrl.TryCanonicalize(decoded, out var canonical, out var reason))
        {
            error = reason;
            return false;
        }

        if (!Uri.TryCreate(decoded, UriKind.Absolute, out var uri))
        {
            error = $"'{decoded}' is not a valid URL";
            return false;
        }

        Rid? rid = null;
        long? sequence = null;
        var live = false;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            switch (name)
            {
                case "rid" when Rid.TryParse(value, out var parsed):
                    rid = parsed;
                    break;
                case "seq" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s):
                    sequence = s;
                    break;
                case "live":
                    live = value is "1" or "true";
                    break;
                case "rid" or "seq":
                    error = $"the gateway hint {name}='{value}' is malformed";
                    return false;
            }
        }

        target = new GatewayTarget(uri, canonical, rid, sequence, live);
        error = string.Empty;
        return true;
    }

    /// <summary>Percent-encodes text for the "e.g." line <c>shoal node</c> prints.</summary>
    public static string Example(string gatewayBase, string originUrl)
    {
        var text = new StringBuilder(gatewayBase.TrimEnd('/'));
        text.Append(ForOrigin(originUrl));
        return text.ToString();
    }
}
