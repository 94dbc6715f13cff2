using System.Net;
using System.Net.Sockets;
using Shoal.Tracker.Peers;

namespace Shoal.Tracker.Client;

/// <summary>
/// Makes the right <see cref="ITrackerClient"/> for a tracker URL, as BitTorrent writes them: <c>udp://host:port/announce</c>
/// (BEP 15: Shoal's tracker or any standard UDP tracker) or <c>http(s)://host:port/</c> (Shoal's HTTP API).
/// </summary>
public static class TrackerClientFactory
{
    public static async Task<ITrackerClient> CreateAsync(Uri tracker, PeerId peerId, UdpTrackerClientOptions? udpOptions = null, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        switch (tracker.Scheme)
        {
            case "udp":
                if (tracker.Port <= 0)
                {
                    throw new ArgumentException($"{tracker} has no port; a UDP tracker URL is udp://host:port/announce.", nameof(tracker));
                }

                var address = IPAddress.TryParse(tracker.IdnHost, out var literal)
                    ? literal
                    : (await Dns.GetHostAddressesAsync(tracker.IdnHost, cancellationToken).ConfigureAwait(false))
                        .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1) // BEP 15 trackers mostly listen on IPv4
                        .FirstOrDefault()
                    ?? throw new TrackerException($"{tracker.IdnHost} has no address.");
                return new UdpTrackerClient(new IPEndPoint(address, tracker.Port), peerId, udpOptions);
            case "http" or "https":
                var path = tracker.AbsolutePath.EndsWith('/') ? tracker : new Uri(tracker.AbsoluteUri + "/");
                return new HttpTrackerClient(path, peerId, http);
            default:
                throw new ArgumentException($"{tracker} is neither a udp:// (BEP 15) nor an http(s):// (Shoal API) tracker URL.", nameof(tracker));
        }
    }
}
