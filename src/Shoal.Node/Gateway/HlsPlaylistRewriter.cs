using System.Globalization;
using System.Text;
using Shoal.Core.Identity;

namespace Shoal.Node.Gateway;

/// <summary>
/// Rewrites an origin's HLS playlist (RFC 8216) so that every URI points back at the gateway: variant and rendition
/// playlists of a master playlist, media segments (tagged with the resource's RID and their media sequence number,
/// the swarm's segment key), EXT-X-MAP and EXT-X-KEY URIs. On a live media playlist it also holds the live edge back
/// by the configured lag by leaving the newest segments out.
/// </summary>
internal static class HlsPlaylistRewriter
{
    public static bool TryRewrite(string text, Uri playlistUrl, TimeSpan liveLag, out string rewritten, out HlsPlaylistInfo info, out string error)
    {
        rewritten = string.Empty;
        info = default;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var firstLine = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (firstLine < 0 || !lines[firstLine].Trim().StartsWith("#EXTM3U", StringComparison.Ordinal))
        {
            error = $"{playlistUrl} is not an HLS playlist (no #EXTM3U on its first line)";
            return false;
        }

        var isMaster = lines.Any(l => l.StartsWith("#EXT-X-STREAM-INF", StringComparison.Ordinal) || l.StartsWith("#EXT-X-I-FRAME-STREAM-INF", StringComparison.Ordinal));
        var output = new StringBuilder(text.Length * 2);
        if (isMaster)
        {
            foreach (var raw in lines)
            {
                var line = raw.TrimEnd('\r');
                if (line.Length == 0)
                {
                    continue;
                }

                output.Append(line.StartsWith('#')
                    ? RewriteUriAttribute(line, playlistUrl, u => GatewayUrls.ForOrigin(u))
                    : RewriteUri(line, playlistUrl, u => GatewayUrls.ForOrigin(u))).Append('\n');
            }

            rewritten = output.ToString();
            info = new HlsPlaylistInfo(true, false, 0, 0, 0);
            error = string.Empty;
            return true;
        }

        long mediaSequence = 0;
        var ended = false;
        var vodType = false;
        var blocks = new List<Block>();
        var current = new List<string>();
        double duration = 0;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal)
                && !long.TryParse(line.AsSpan("#EXT-X-MEDIA-SEQUENCE:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out mediaSequence))
            {
                error = $"{playlistUrl} has a malformed {line}";
                return false;
            }

            ended |= line.StartsWith("#EXT-X-ENDLIST", StringComparison.Ordinal);
            vodType |= line.Equals("#EXT-X-PLAYLIST-TYPE:VOD", StringComparison.Ordinal);
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..];
                var comma = value.IndexOf(',', StringComparison.Ordinal);
                _ = double.TryParse(comma < 0 ? value : value[..comma], NumberStyles.Float, CultureInfo.InvariantCulture, out duration);
            }

            current.Add(line);
            if (!line.StartsWith('#'))
            {
                blocks.Add(new Block([.. current], duration));
                current.Clear();
                duration = 0;
            }
        }

        var live = !ended && !vodType;
        var kept = blocks.Count;
        if (live)
        {
            var held = 0.0;
            while (kept > 1 && held + blocks[kept - 1].Duration <= liveLag.TotalSeconds)
            {
                held += blocks[kept - 1].Duration;
                kept--;
            }
        }

        var resource = Rid.ForUrl(playlistUrl.AbsoluteUri);
        for (var i = 0; i < kept; i++)
        {
            var sequence = mediaSequence + i;
            foreach (var line in blocks[i].Lines)
            {
                output.Append(line.StartsWith('#')
                    ? RewriteUriAttribute(line, playlistUrl, u => GatewayUrls.ForOrigin(u))
                    : RewriteUri(line, playlistUrl, u => GatewayUrls.ForSegment(u, resource, sequence, live))).Append('\n');
            }
        }

        // Trailing tags (EXT-X-ENDLIST) belong to the whole playlist; on a held-back live edge they are dropped.
        if (kept == blocks.Count)
        {
            foreach (var line in current)
            {
                output.Append(RewriteUriAttribute(line, playlistUrl, u => GatewayUrls.ForOrigin(u))).Append('\n');
            }
        }

        rewritten = output.ToString();
        info = new HlsPlaylistInfo(false, live, mediaSequence, kept, blocks.Count);
        error = string.Empty;
        return true;
    }

    private static string RewriteUri(string reference, Uri playlistUrl, Func<Uri, string> toGateway) =>
        Uri.TryCreate(playlistUrl, reference, out var absolute) && absolute.Scheme is "http" or "https"
            ? toGateway(absolute)
            : reference;

    /// <summary>RFC 8216 §4.2: attribute URI="..." on EXT-X-MAP, EXT-X-KEY, EXT-X-MEDIA, EXT-X-I-FRAME-STREAM-INF.</summary>
    private static string RewriteUriAttribute(string line, Uri playlistUrl, Func<Uri, string> toGateway)
    {
        const string attribute = "URI=\"";
        var start = line.IndexOf(attribute, StringComparison.Ordinal);
        if (start < 0 || !(start == 0 || line[start - 1] is ',' or ':'))
        {
            return line;
        }

        var valueStart = start + attribute.Length;
        var end = line.IndexOf('"', valueStart);
        if (end < 0)
        {
            return line;
        }

        var value = line[valueStart..end];
        if (value.StartsWith("data:", StringComparison.Ordinal) || value.StartsWith("skd:", StringComparison.Ordinal))
        {
            return line;
        }

        return string.Concat(line.AsSpan(0, valueStart), RewriteUri(value, playlistUrl, toGateway), line.AsSpan(end));
    }

    private sealed record Block(string[] Lines, double Duration);
}
