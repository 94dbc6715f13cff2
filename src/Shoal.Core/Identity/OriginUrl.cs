using System.Globalization;

namespace Shoal.Core.Identity;

/// <summary>
/// The canonical form of an origin URL, from which its <see cref="Rid"/> is derived. Every node must produce
/// the same text for the same resource, so the rules are few and exact:
/// scheme and host are lower-cased; the scheme's default port (80 for http, 443 for https) is dropped;
/// the fragment is dropped; path and query are kept byte for byte as given (no percent-decoding, no dot
/// segment removal), and an empty path becomes "/". Only http and https are accepted.
/// </summary>
public static class OriginUrl
{
    public static string Canonicalize(string url) =>
        TryCanonicalize(url, out var canonical, out var error) ? canonical : throw new FormatException(error);

    public static bool TryCanonicalize(string? url, out string canonical, out string error)
    {
        canonical = string.Empty;
        if (string.IsNullOrWhiteSpace(url))
        {
            error = "The URL is empty.";
            return false;
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            error = $"'{url}' is not an absolute URL (expected http:// or https://).";
            return false;
        }

        var scheme = url[..schemeEnd].ToLowerInvariant();
        int defaultPort;
        switch (scheme)
        {
            case "http": defaultPort = 80; break;
            case "https": defaultPort = 443; break;
            default:
                error = $"'{url}' uses the scheme '{scheme}'; only http and https origins are supported.";
                return false;
        }

        var rest = url[(schemeEnd + 3)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var pathStart = rest.IndexOfAny(['/', '?']);
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        var pathAndQuery = pathStart < 0 ? "/" : rest[pathStart..];
        if (pathAndQuery.StartsWith('?'))
        {
            pathAndQuery = "/" + pathAndQuery;
        }

        if (authority.Contains('@', StringComparison.Ordinal))
        {
            error = $"'{url}' carries user information; credentials never go into a resource id.";
            return false;
        }

        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{url}' has an unterminated IPv6 address.";
                return false;
            }

            host = authority[..(close + 1)];
            var afterHost = authority[(close + 1)..];
            if (afterHost.Length > 0)
            {
                if (!afterHost.StartsWith(':'))
                {
                    error = $"'{url}' has text after its IPv6 address that is not a port.";
                    return false;
                }

                port = afterHost[1..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            port = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            error = $"'{url}' has no host.";
            return false;
        }

        var portText = string.Empty;
        if (!string.IsNullOrEmpty(port))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
            {
                error = $"'{url}' has the port '{port}', which is not a number from 1 to 65535.";
                return false;
            }

            if (portNumber != defaultPort)
            {
                portText = ":" + portNumber.ToString(CultureInfo.InvariantCulture);
            }
        }

        canonical = scheme + "://" + host.ToLowerInvariant() + portText + pathAndQuery;
        error = string.Empty;
        return true;
    }
}
