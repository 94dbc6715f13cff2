using System.Globalization;
using System.Text;
using static System.Net.WebUtility;
using Shoal.Tracker.State;

namespace Shoal.Tracker.Http;

/// <summary>The operator's overview at /: swarms, peers, super peers and the offload the nodes report, as one plain HTML page.</summary>
internal static class OverviewPage
{
    public static string Render(TrackerStats stats, IReadOnlyList<SwarmView> swarms, IReadOnlyList<NodeStatus> superPeers)
    {
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Shoal tracker</title>")
            .Append("<meta http-equiv=\"refresh\" content=\"10\">")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}code{font-size:.9em}</style>")
            .Append("</head><body><h1>Shoal tracker</h1>");
        html.Append(c, $"<p><b>{stats.Swarms}</b> swarms, <b>{stats.Peers}</b> peers, <b>{stats.Nodes}</b> reporting nodes, <b>{stats.SuperPeers}</b> super peers.</p>");
        html.Append(c, $"<p>Offload reported by nodes: <b>{(stats.Offload is { } o ? o.ToString("P1", c) : "no reports yet")}</b> ")
            .Append(c, $"({stats.BytesFromPeers:N0} bytes from peers, {stats.BytesFromOrigin:N0} from the origin).</p>");
        html.Append(c, $"<p>UDP: {stats.Connects:N0} connects, {stats.Announces:N0} announces, {stats.Scrapes:N0} scrapes, {stats.Rejected:N0} rejected.</p>");
        html.Append("<h2>Swarms</h2><table><tr><th>RID</th><th>origin URL</th><th>seeders</th><th>leechers</th><th>completed</th><th>super peers</th><th>last announce</th></tr>");
        foreach (var s in swarms)
        {
            html.Append(c, $"<tr><td><code>{s.Rid}</code></td><td>{HtmlEncode(s.Url ?? "")}</td><td>{s.Seeders}</td><td>{s.Leechers}</td><td>{s.Completed}</td><td>{s.SuperPeers}</td><td>{s.LastAnnounce:u}</td></tr>");
        }

        html.Append("</table><h2>Super peers</h2><table><tr><th>peer id</th><th>endpoint</th><th>uptime</th><th>upload capacity</th><th>success rate</th></tr>");
        foreach (var n in superPeers)
        {
            html.Append(c, $"<tr><td><code>{n.PeerId}</code></td><td>{HtmlEncode(n.Endpoint ?? "")}</td><td>{TimeSpan.FromSeconds(n.UptimeSeconds):g}</td><td>{n.UploadCapacityBytesPerSecond * 8 / 1e6:F1} Mbit/s</td><td>{n.SuccessRate:P1}</td></tr>");
        }

        html.Append("</table><p>API: <a href=\"/v1/swarms\">/v1/swarms</a>, <a href=\"/v1/stats\">/v1/stats</a>, <a href=\"/v1/mappings\">/v1/mappings</a>, <a href=\"/v1/superpeers\">/v1/superpeers</a>.</p></body></html>");
        return html.ToString();
    }
}
