using Shoal.Core.Manifests;
using Shoal.Core.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Node.Fetching;
using Shoal.Node.Gateway;
using Shoal.Node.Storage;
using Shoal.Node.Swarming;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;
using System.Globalization;
using System.Net;

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
    private readonly SwarmHost? _host;
    private readonly HttpTrackerClient? _tracker;
    private readonly ITrackerClient? _announcer;
    private const int StatusChannels = 20;

    private ShoalNode(NodeOptions options, OriginClient origin, ContentStore store, NodeMetrics metrics, ChannelDirectory channels, GatewayServer gateway, SwarmHost? host, HttpTrackerClient? tracker, ITrackerClient? announcer, string sourceName)
    {
        _announcer = announcer;
        _host = host;
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
        SwarmHost? host = null;
        HttpTrackerClient? tracker = null;
        ITrackerClient? announcer = null;
        Action<Uri, ResourceKind>? joinSwarm = null;
        var hostLogger = (ILogger?)loggers?.CreateLogger("Shoal.Node.Swarming") ?? NullLogger.Instance;
        // --tracker may be the HTTP API itself when no --tracker-http is given.
        if ((options.TrackerHttp ?? (options.Tracker is { Scheme: "http" or "https" } api ? api : null)) is { } trackerHttp)
        {
            // The tracker's mapping service gives each playlist its RID and signed manifest; without it there is no swarm.
            var peerId = PeerId.NewRandom();
            tracker = new HttpTrackerClient(trackerHttp, peerId);
            // A udp:// tracker finds the peers over BEP 15 (any standard UDP tracker will do); mappings and manifests
            // still come from the HTTP API.
            if (options.Tracker is { Scheme: "udp" } udp)
            {
                try
                {
                    announcer = await TrackerClientFactory.CreateAsync(udp, peerId, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await tracker.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }

            var swarmOptions = new SwarmHostOptions
            {
                Bind = new IPEndPoint(options.UdpBind, options.UdpPort),
                SuperPeer = options.SuperPeer,
                UploadBytesPerSecond = options.UploadLimitBitsPerSecond / 8,
                SegmentTimeout = options.SwarmSegmentTimeout,
            };
            if (options.Gateway.LiveLag > TimeSpan.Zero)
            {
                swarmOptions = swarmOptions with { LagBehindLive = options.Gateway.LiveLag };
            }

            var swarms = new SwarmHost(swarmOptions, tracker, origin, time, loggers ?? NullLoggerFactory.Instance, announcer);
            host = swarms;
            source = new SwarmSegmentSource(swarms, direct);
            sourceName = announcer is null
                ? $"swarm (tracker {trackerHttp}), direct fallback"
                : $"swarm (peers from {options.Tracker}, mappings from {trackerHttp}), direct fallback";
            metrics.Swarms = () => Sum(swarms.Snapshot());

            // Joining talks to the tracker: it must not delay the playlist, so the first segments may come directly.
            joinSwarm = (url, kind) =>
            {
                if (swarms.Find(Rid.ForUrl(url.AbsoluteUri)) is not null)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    try
                    {
                        await swarms.TrackAsync(url, kind, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        hostLogger.LogWarning("could not join the swarm of {Url}: {Reason}", url, e.Message);
                    }
                });
            };
        }

        // Players asking for the same segment at once share one read of it (one origin fetch, one pass through the swarm).
        source = new SingleFlightSegmentSource(source);
        try
        {
            var gateway = await GatewayServer.StartAsync(
                options.Gateway, source, origin, store, metrics, channels,
                self => BuildStatus(options, self, metrics, store, channels, host, sourceName),
                time, loggers, joinSwarm, cancellationToken).ConfigureAwait(false);
            return new ShoalNode(options, origin, store, metrics, channels, gateway, host, tracker, announcer, sourceName);
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            if (tracker is not null)
            {
                await tracker.DisposeAsync().ConfigureAwait(false);
            }

            if (announcer is not null)
            {
                await announcer.DisposeAsync().ConfigureAwait(false);
            }

            await store.DisposeAsync().ConfigureAwait(false);
            origin.Dispose();
            throw;
        }
    }

    public GatewayStatus Status() => BuildStatus(_options, GatewayUri, Metrics, _store, _channels, _host, SegmentSourceName);

    /// <summary>The node's swarms, when it runs with a tracker.</summary>
    public SwarmHost? Swarms => _host;

    /// <summary>Drains pending disk writes and fsyncs them without stopping the node.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _store.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gateway.StopAsync().ConfigureAwait(false);
        await _gateway.DisposeAsync().ConfigureAwait(false);
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        if (_tracker is not null)
        {
            await _tracker.DisposeAsync().ConfigureAwait(false);
        }

        if (_announcer is not null)
        {
            await _announcer.DisposeAsync().ConfigureAwait(false);
        }

        await _store.DisposeAsync().ConfigureAwait(false);
        _origin.Dispose();
    }

    private static SwarmTotals Sum(IReadOnlyList<SwarmSessionStatus> sessions) => new(
        sessions.Sum(s => s.BytesFromPeers), sessions.Sum(s => s.BytesFromOrigin), sessions.Sum(s => s.BytesUploaded), sessions.Sum(s => s.DeliveredFromPeers));

    private static GatewayStatus BuildStatus(NodeOptions options, Uri self, NodeMetrics metrics, ContentStore store, ChannelDirectory channels, SwarmHost? host, string sourceName)
    {
        var disk = store.Disk;
        var sessions = host?.Snapshot() ?? [];
        var swarms = sessions.Select(s => new SwarmStatus(
            s.Rid.ToHex(), s.ResourceUrl.AbsoluteUri,
            s.Neighbours.Select(n => new NeighbourStatus(n.Id.ToString(CultureInfo.InvariantCulture), false, n.Rtt?.TotalMilliseconds, n.BytesFromThem, n.BytesToThem)).ToList(),
            s.BytesFromPeers, s.BytesUploaded)).ToList();
        var totals = Sum(sessions);

        // Every byte a player got came from peers (counted per verified piece by the swarm) or from the origin, directly
        // or through the store (which only ever holds what this node fetched from the origin), so the two add up.
        return new GatewayStatus(
            new NodeDescription(options.Name ?? self.Authority, self.AbsoluteUri, options.UdpPort, options.Tracker?.AbsoluteUri, options.SuperPeer, sourceName, options.Gateway.LiveLag.TotalSeconds),
            swarms,
            swarms.Sum(s => s.Neighbours.Count),
            metrics.Offload,
            new TrafficTotals(metrics.BytesToPlayers, metrics.BytesFromOrigin, metrics.BytesFromPeers, metrics.BytesFromStore, totals.Uploaded,
                totals.DeliveredFromPeers, Math.Max(0, metrics.BytesToPlayers - totals.DeliveredFromPeers)),
            new BufferStatus(store.Memory.SizeBytes, store.Memory.SegmentCount, disk?.SizeBytes, disk?.CapacityBytes, disk?.SegmentCount,
                disk?.BytesWritten, disk?.WritesSkippedForBudget, disk?.WriteFailures),
            new QosCounts(metrics.Requests, metrics.SegmentsServed, metrics.PlaylistsServed, metrics.OriginErrors, metrics.BadRequests),
            channels.Snapshot(self, StatusChannels));
    }
}
