using Shoal.Node.Fetching;
using Shoal.Node.Gateway;
using Shoal.Node.Storage;

namespace Shoal.Node;

/// <summary>Everything <c>shoal node</c> is configured with.</summary>
public sealed record NodeOptions
{
    /// <summary>A name for dashboards and logs; the gateway's address when not given.</summary>
    public string? Name { get; init; }

    public GatewayOptions Gateway { get; init; } = new();

    public ContentStoreOptions Store { get; init; } = new();

    public OriginClientOptions Origin { get; init; } = new();

    /// <summary>The UDP port of the node's first swarm (0: any); later swarms take free ports.</summary>
    public int UdpPort { get; init; }

    /// <summary>The address the swarm's UDP sockets bind to.</summary>
    public System.Net.IPAddress UdpBind { get; init; } = System.Net.IPAddress.Any;

    /// <summary>
    /// Where swarms find peers: a BEP 15 tracker (udp://HOST:PORT, Shoal's or any standard one; mappings still come
    /// from <see cref="TrackerHttp"/>), or the HTTP API itself (http(s)://, when <see cref="TrackerHttp"/> is not given).
    /// </summary>
    public Uri? Tracker { get; init; }

    /// <summary>The tracker's HTTP API (mapping service, manifests, super-peer registry; announces unless <see cref="Tracker"/> is udp://).</summary>
    public Uri? TrackerHttp { get; init; }

    /// <summary>Upload limit towards peers in bits per second; null for none.</summary>
    public double? UploadLimitBitsPerSecond { get; init; }

    /// <summary>A super peer serves more, is preferred by the tracker and accepts pushed content.</summary>
    public bool SuperPeer { get; init; }

    /// <summary>
    /// How long the gateway waits for the swarm to finish a segment before fetching the rest directly: shorter than the
    /// player's buffer, or the player stalls while the swarm is slow.
    /// </summary>
    public TimeSpan SwarmSegmentTimeout { get; init; } = TimeSpan.FromSeconds(DefaultSwarmSegmentTimeoutSeconds);

    public const double DefaultSwarmSegmentTimeoutSeconds = 3;
}
