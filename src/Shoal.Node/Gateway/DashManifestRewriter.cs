using Shoal.Core.Identity;
using Shoal.Media.Dash;

namespace Shoal.Node.Gateway;

/// <summary>
/// Points a DASH MPD (ISO/IEC 23009-1, rewritten by Shoal.Media.Dash) at the gateway: every segment, initialisation
/// and index URL and the live MPD's Location. A $Number$ media template also carries the gateway's segment hints
/// (<c>rid</c> of the template, <c>seq=$Number$</c>), so each DASH segment has the swarm key the HLS ones have.
/// </summary>
internal static class DashManifestRewriter
{
    public static bool TryRewrite(string text, Uri mpdUrl, out string rewritten, out bool live, out string error)
    {
        live = text.Contains("type=\"dynamic\"", StringComparison.Ordinal);
        var isLive = live;
        string Rewrite(MpdUriReference reference)
        {
            switch (reference.Kind)
            {
                case MpdUriKind.MediaTemplate or MpdUriKind.InitializationTemplate or MpdUriKind.IndexTemplate:
                    if (!DashTemplate.TryParse(reference.Absolute, out var template, out _))
                    {
                        return reference.Absolute;
                    }

                    var path = GatewayUrls.Prefix + template.MapLiterals(Uri.EscapeDataString);
                    return reference.Kind == MpdUriKind.MediaTemplate && reference.Absolute.Contains("$Number", StringComparison.Ordinal)
                        ? $"{path}?rid={Rid.ForUrl(reference.Absolute).ToHex()}&seq=$Number${(isLive ? "&live=1" : string.Empty)}"
                        : path;
                default:
                    return GatewayUrls.ForOrigin(reference.Absolute);
            }
        }

        if (!MpdRewriter.TryRewrite(text, mpdUrl, Rewrite, null, out rewritten, out var parseError))
        {
            error = $"{mpdUrl} is not a usable DASH MPD ({parseError.Message})";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
