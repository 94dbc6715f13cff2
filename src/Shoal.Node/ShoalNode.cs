using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Node.Fetching;
using Shoal.Node.Gateway;
using Shoal.Node.Storage;

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
    private const int StatusChannels = 20;

    private ShoalNode(NodeOptions options, OriginClient origin, ContentStore store, NodeMetrics metrics, ChannelDirectory channels, GatewayServer gateway, string sourceName)
    {
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
        var source = new DirectSegmentSource(origin, store, metrics, options.Gateway.PieceSize);
        const string sourceName = "direct (origin + store)";
        try
        {
            var gateway = await GatewayServer.StartAsync(
                options.Gateway, source, origin, store, metrics, channels,
                self => BuildStatus(options, self, metrics, store, channels, sourceName),
                time, loggers, cancellationToken).ConfigureAwait(false);
            return new ShoalNode(options, origin, store, metrics, channels, gateway, sourceName);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            origin.Dispose();
            throw;
        }
    }

    public GatewayStatus Status() => BuildStatus(_options, GatewayUri, Metrics, _store, _channels, SegmentSourceName);

    /// <summary>Drains pending disk writes and fsyncs them without stopping the node.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _store.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gateway.StopAsync().ConfigureAwait(false);
        await _gateway.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _origin.Dispose();
    }

    private static GatewayStatus BuildStatus(NodeOptions options, Uri self, NodeMetrics metrics, ContentStore store, ChannelDirectory channels, string sourceName)
    {
        var disk = store.Disk;
        return new GatewayStatus(
            new NodeDescription(options.Name ?? self.Authority, self.AbsoluteUri, options.UdpPort, options.Tracker?.AbsoluteUri, options.SuperPeer, sourceName, options.Gateway.LiveLag.TotalSeconds),
            [],
            0,
            metrics.Offload,
            new TrafficTotals(metrics.BytesToPlayers, metrics.BytesFromOrigin, metrics.BytesFromPeers, metrics.BytesFromStore, 0,
                0, Math.Max(0, metrics.BytesToPlayers - metrics.BytesFromStore)),
            new BufferStatus(store.Memory.SizeBytes, store.Memory.SegmentCount, disk?.SizeBytes, disk?.CapacityBytes, disk?.SegmentCount,
                disk?.BytesWritten, disk?.WritesSkippedForBudget, disk?.WriteFailures),
            new QosCounts(metrics.Requests, metrics.SegmentsServed, metrics.PlaylistsServed, metrics.OriginErrors, metrics.BadRequests),
            channels.Snapshot(self, StatusChannels));
    }
}
