using System.Globalization;
using System.Text;

namespace Shoal.Tracker.Http;

/// <summary>GET /metrics: the tracker's figures in the Prometheus text exposition format, one metric name per fact.</summary>
internal static class PrometheusMetrics
{
    public static string Render(TrackerStats stats)
    {
        var text = new StringBuilder();
        Counter(text, "shoal_tracker_connects_total", "BEP 15 connect requests answered by this instance.", stats.Connects);
        Counter(text, "shoal_tracker_announces_total", "BEP 15 announces answered by this instance.", stats.Announces);
        Counter(text, "shoal_tracker_scrapes_total", "BEP 15 scrapes answered by this instance.", stats.Scrapes);
        Counter(text, "shoal_tracker_rejected_total", "Malformed requests and requests with a bad or expired connection id.", stats.Rejected);
        Gauge(text, "shoal_tracker_swarms", "Swarms with at least one live peer.", stats.Swarms);
        Gauge(text, "shoal_tracker_peers", "Live peers over all swarms.", stats.Peers);
        Gauge(text, "shoal_tracker_nodes", "Nodes that reported to the super-peer registry.", stats.Nodes);
        Gauge(text, "shoal_tracker_super_peers", "Live super peers.", stats.SuperPeers);
        Counter(text, "shoal_bytes_from_peers_total", "Bytes nodes report they got from peers.", stats.BytesFromPeers);
        Counter(text, "shoal_bytes_from_origin_total", "Bytes nodes report they got from the origin.", stats.BytesFromOrigin);
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "gauge", value);

    private static void Metric(StringBuilder text, string name, string help, string type, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
