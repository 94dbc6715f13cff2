using System.Globalization;
using System.Net;

namespace Shoal.Cli.Commands;

/// <summary>Parsing of the values the node commands take (sizes with suffixes, HOST:PORT), with one-line errors.</summary>
internal static class CliValues
{
    /// <summary>Bytes as a plain number or with a K/M/G/T suffix (powers of 1024), e.g. 512M.</summary>
    public static bool TryParseBytes(string text, out long bytes, out string error)
    {
        bytes = 0;
        var value = text.Trim();
        long unit = 1;
        if (value.Length > 0 && char.IsLetter(value[^1]))
        {
            var suffix = char.ToUpperInvariant(value[^1]);
            unit = suffix switch
            {
                'K' => 1L << 10,
                'M' => 1L << 20,
                'G' => 1L << 30,
                'T' => 1L << 40,
                _ => 0,
            };
            value = value[..^1];
            if (value.EndsWith('i') || value.EndsWith('I'))
            {
                value = value[..^1];
            }
        }

        if (unit == 0 || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || number * unit > long.MaxValue)
        {
            error = $"'{text}' is not a size in bytes (examples: 1048576, 512M, 2G)";
            return false;
        }

        bytes = (long)(number * unit);
        error = string.Empty;
        return true;
    }

    /// <summary>HOST:PORT, where HOST is an IP address (IPv6 in brackets) and PORT may be 0.</summary>
    public static bool TryParseEndpoint(string text, out string host, out int port, out string error)
    {
        host = string.Empty;
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            error = $"'{text}' is not HOST:PORT (for example 127.0.0.1:8080)";
            return false;
        }

        host = text[..colon].Trim('[', ']');
        if (host == "localhost")
        {
            host = "127.0.0.1";
        }

        if (!IPAddress.TryParse(host, out _))
        {
            error = $"'{host}' is not an IP address to listen on (for example 127.0.0.1 or 0.0.0.0)";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>System.CommandLine has no converter for <see cref="Uri"/>: absolute URLs are parsed here, with a clear error.</summary>
    public static Uri? AbsoluteUri(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return uri;
        }

        result.AddError($"'{text}' is not an absolute URL (for example http://127.0.0.1:6969 or udp://127.0.0.1:6969).");
        return null;
    }
}
