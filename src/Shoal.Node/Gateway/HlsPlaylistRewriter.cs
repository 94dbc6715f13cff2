using Shoal.Core.Identity;
using Shoal.Media.Hls;

namespace Shoal.Node.Gateway;

/// <summary>
/// Points an origin's HLS playlist (RFC 8216, parsed and written by Shoal.Media.Hls) back at the gateway: variant and
/// rendition playlists of a master playlist, media segments (tagged with the resource's RID and their media sequence
/// number, the swarm's segment key), EXT-X-MAP and EXT-X-KEY URIs. On a live media playlist it also holds the live
/// edge back by the configured lag by leaving the newest segments out.
/// </summary>
internal static class HlsPlaylistRewriter
{
    public static bool TryRewrite(string text, Uri playlistUrl, TimeSpan liveLag, out string rewritten, out HlsPlaylistInfo info, out string error)
    {
        rewritten = string.Empty;
        info = default;
        if (!HlsPlaylistParser.TryParse(text, playlistUrl, null, out var parsed, out var parseError))
        {
            error = $"{playlistUrl} is not a usable HLS playlist ({parseError})";
            return false;
        }

        string ToGateway(HlsUriReference reference) =>
            reference.Absolute is { Scheme: "http" or "https" } absolute ? GatewayUrls.ForOrigin(absolute) : reference.Original;

        switch (parsed)
        {
            case HlsMasterPlaylist master:
                rewritten = HlsPlaylistWriter.Write(master.RewriteUris(ToGateway));
                info = new HlsPlaylistInfo(true, false, 0, 0, 0);
                error = string.Empty;
                return true;

            case HlsMediaPlaylist media:
                var live = !media.IsVod;
                var kept = media.Segments.Count;
                if (live)
                {
                    var held = 0.0;
                    while (kept > 1 && held + media.Segments[kept - 1].Duration <= liveLag.TotalSeconds)
                    {
                        held += media.Segments[kept - 1].Duration;
                        kept--;
                    }
                }

                var resource = Rid.ForUrl(playlistUrl.AbsoluteUri);
                var segments = new HlsSegment[kept];
                for (var i = 0; i < kept; i++)
                {
                    var segment = media.Segments[i];
                    segments[i] = media.SegmentUrl(i) is { Scheme: "http" or "https" } url
                        ? segment with { Uri = GatewayUrls.ForSegment(url, resource, media.SequenceAt(i), live) }
                        : segment;
                }

                // Segment URIs are already the gateway's; everything else (maps, keys) goes through the same form.
                var trimmed = media with { Segments = segments, TrailingTags = kept == media.Segments.Count ? media.TrailingTags : [] };
                var result = trimmed.RewriteUris(r => r.Kind == HlsUriKind.Segment ? r.Original : ToGateway(r));
                rewritten = HlsPlaylistWriter.Write(result);
                info = new HlsPlaylistInfo(false, live, media.MediaSequence, kept, media.Segments.Count);
                error = string.Empty;
                return true;

            default:
                error = $"{playlistUrl} is neither a media nor a master playlist";
                return false;
        }
    }
}
