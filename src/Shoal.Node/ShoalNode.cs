using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Node.Fetching;
using Shoal.Node.Gateway;
using Shoal.Node.Storage;
using Shoal.Node.Swarming;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;

namespace Shoal.Node;

/// <summary>
/// One running node: the origin client, the content store, the segment source the gateway reads through, and the
/// gateway. <see cref="DisposeAsync"/> is the graceful shutdown: the gateway stops taking requests, then the store
/// drains its write queue and fsyncs, so nothing verified is lost.
/// </summary>
public sealed class ShoalNode : IAsyncDisposable
{
    private readonly OriginClient _origin;
    private readonly ContentStore _store;
    private readonly GatewayServer _gateway;
    private readonly NodeOptions _options;
    private readonly ChannelDirectory _channels;
    private readonly SwarmHost? _swarms;
    private readonly HttpTrackerClient? _tracker;
    private const int StatusChannels = 20;

    private ShoalNode(
        NodeOptions options, OriginClient origin, ContentStore store, NodeMetrics metrics, ChannelDirectory channels, GatewayServer gateway,
        string sourceName, SwarmHost? swarms, HttpTrackerClient? tracker)
    {
        _swarms = swarms;
        _tracker = tracker;
        _channels = channels;
        _options = options;
        _origin = origin;
        _store = store;
        Metrics = metrics;
        _gateway = gateway;
        SegmentSourceName = sourceName;
    }

    public Uri GatewayUri => _gateway.BaseUri;

    public NodeMetrics Metrics { get; }

    public ContentStore Store => _store;

    public OriginClient Origin => _origin;

    public string SegmentSourceName { get; }

    public Uri GatewayUrlFor(string originUrl) => _gateway.UrlFor(originUrl);

    public static async Task<ShoalNode> StartAsync(NodeOptions options, TimeProvider time, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var storeLogger = (ILogger?)loggers?.CreateLogger("Shoal.Node.Storage") ?? NullLogger.Instance;
        var origin = new OriginClient(options.Origin, time);
        var store = new ContentStore(options.Store, time, storeLogger);
        var metrics = new NodeMetrics();
        var channels = new ChannelDirectory();
        var direct = new DirectSegmentSource(origin, store, metrics, options.Gateway.PieceSize);
        ISegmentSource source = direct;
        var sourceName = "direct (origin + store)";
        HttpTrackerClient? tracker = null;
        SwarmHost? swarms = null;
        if (options.TrackerHttp is { } trackerHttp)
        {
            // With a mapping service the node joins swarms; without one it can verify nothing, so it stays direct.
            tracker = new HttpTrackerClient(trackerHttp, PeerId.NewRandom());
            swarms = new SwarmHost(
                new SwarmHostOptions
                {
                    Bind = new IPEndPoint(IPAddress.TryParse(options.Gateway.Host, out var address) && IPAddress.IsLoopback(address) ? IPAddress.Loopback : IPAddress.Any, options.UdpPort),
                    SuperPeer = options.SuperPeer,
                    LagBehindLive = options.Gateway.LiveLag > TimeSpan.Zero ? options.Gateway.LiveLag : new SwarmHostOptions().LagBehindLive,
                    UploadBytesPerSecond = options.UploadLimitBitsPerSecond / 8,
                },
                tracker, origin, time, loggers ?? NullLoggerFactory.Instance);
            source = new SwarmSegmentSource(swarms, direct);
            sourceName = "swarm (peers, origin on deadline)";
        }

        try
        {
            var gateway = await GatewayServer.StartAsync(
                options.Gateway, source, origin, store, metrics, channels,
                self => BuildStatus(options, self, metrics, store, channels, sourceName, swarms),
                time, loggers, cancellationToken).ConfigureAwait(false);
            return new ShoalNode(options, origin, store, metrics, channels, gateway, sourceName, swarms, tracker);
        }
        catch
        {
            if (swarms is not null)
            {
                await swarms.DisposeAsync().ConfigureAwait(false);
            }

            if (tracker is not null)
            {
                await tracker.DisposeAsync().ConfigureAwait(false);
            }

            await store.DisposeAsync().ConfigureAwait(false);
            origin.Dispose();
            throw;
        }
    }

    public GatewayStatus Status() => BuildStatus(_options, GatewayUri, Metrics, _store, _channels, SegmentSourceName, _swarms);

    /// <summary>Drains pending disk writes and fsyncs them without stopping the node.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _store.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gateway.StopAsync().ConfigureAwait(false);
        await _gateway.DisposeAsync().ConfigureAwait(false);
        if (_swarms is not null)
        {
            await _swarms.DisposeAsync().ConfigureAwait(false);
        }

        if (_tracker is not null)
        {
            await _tracker.DisposeAsync().ConfigureAwait(false);
        }

        await _store.DisposeAsync().ConfigureAwait(false);
        _origin.Dispose();
    }

    private static GatewayStatus BuildStatus(
        NodeOptions options, Uri self, NodeMetrics metrics, ContentStore store, ChannelDirectory channels, string sourceName, SwarmHost? swarmHost)
    {
        var disk = store.Disk;
        var sessions = swarmHost?.Snapshot() ?? [];
        var swarms = sessions.Select(s => new SwarmStatus(
            s.Rid.ToHex(),
            s.ResourceUrl.AbsolutePath,
            [.. s.Neighbours.Select(n => new NeighbourStatus($"#{n.Id}", false, n.Rtt?.TotalMilliseconds, n.BytesFromThem, n.BytesToThem))],
            s.BytesFromPeers,
            s.BytesUploaded)).ToList();
        var fromOrigin = metrics.BytesFromOrigin + sessions.Sum(s => s.BytesFromOrigin);
        var fromPeers = metrics.BytesFromPeers + sessions.Sum(s => s.BytesFromPeers);

        // Every byte a player got came from peers (counted by the swarm per verified piece) or, directly or through the
        // store, from the origin: the split adds up to bytes_to_players by construction of the two sources.
        var deliveredFromPeers = Math.Min(metrics.BytesToPlayers, sessions.Sum(s => s.DeliveredFromPeers));
        var offload = metrics.BytesToPlayers > 0 ? 1.0 - ((double)fromOrigin / metrics.BytesToPlayers) : (double?)null;
        return new GatewayStatus(
            new NodeDescription(options.Name ?? self.Authority, self.AbsoluteUri, options.UdpPort, options.Tracker?.AbsoluteUri, options.SuperPeer, sourceName, options.Gateway.LiveLag.TotalSeconds),
            swarms,
            swarms.Sum(s => s.Neighbours.Count),
            swarmHost is null ? metrics.Offload : offload,
            new TrafficTotals(metrics.BytesToPlayers, fromOrigin, fromPeers, metrics.BytesFromStore, sessions.Sum(s => s.BytesUploaded),
                deliveredFromPeers, metrics.BytesToPlayers - deliveredFromPeers),
            new BufferStatus(store.Memory.SizeBytes, store.Memory.SegmentCount, disk?.SizeBytes, disk?.CapacityBytes, disk?.SegmentCount,
                disk?.BytesWritten, disk?.WritesSkippedForBudget, disk?.WriteFailures),
            new QosCounts(metrics.Requests, metrics.SegmentsServed, metrics.PlaylistsServed, metrics.OriginErrors, metrics.BadRequests),
            channels.Snapshot(self, StatusChannels));
    }
}
