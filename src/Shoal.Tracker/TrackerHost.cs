using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Core.Manifests;
using Shoal.Tracker.Http;
using Shoal.Tracker.Oracle;
using Shoal.Tracker.State;
using Shoal.Tracker.SuperPeers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker;

/// <summary>
/// One running tracker instance: the BEP 15 server on its UDP socket and the HTTP API on Kestrel, sharing one
/// <see cref="ITrackerStore"/> (in memory, or Redis so several instances serve one deployment).
/// </summary>
public sealed class TrackerHost : IAsyncDisposable
{
    private const int RedisReceiveLoops = 16;

    private readonly WebApplication _web;
    private readonly UdpTrackerServer _udp;
    private readonly IAsyncDisposable? _ownedStore;
    private readonly HttpClient _oracleHttp;
    private ITimer? _refresh;

    private TrackerHost(WebApplication web, UdpTrackerServer udp, TrackerServices services, IAsyncDisposable? ownedStore, HttpClient oracleHttp, Uri httpAddress)
    {
        _web = web;
        _udp = udp;
        Services = services;
        _ownedStore = ownedStore;
        _oracleHttp = oracleHttp;
        HttpAddress = httpAddress;
    }

    public TrackerServices Services { get; }

    public IPEndPoint UdpEndPoint => _udp.LocalEndPoint;

    /// <summary>The HTTP API's base address, e.g. http://127.0.0.1:8080/.</summary>
    public Uri HttpAddress { get; }

    /// <summary>Starts an instance; <paramref name="mappingKey"/> signs the oracle's manifests (the host does not dispose it).</summary>
    public static async Task<TrackerHost> StartAsync(TrackerHostOptions options, SigningKeyPair mappingKey, TimeProvider? time = null, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mappingKey);
        time ??= TimeProvider.System;
        ITrackerStore store;
        IAsyncDisposable? owned = null;
        if (options.Redis is { } redis)
        {
            var redisStore = await RedisTrackerStore.ConnectAsync(redis, options.Udp.PeerLifetime).ConfigureAwait(false);
            store = redisStore;
            owned = redisStore;
        }
        else
        {
            store = new InMemoryTrackerStore(options.Udp.PeerLifetime);
        }

        var secret = await store.GetOrCreateSecretAsync(ConnectionIdIssuer.NewSecret(), cancellationToken).ConfigureAwait(false);
        var registry = new SuperPeerRegistry(store, time, options.SuperPeers);
        await registry.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var handler = new Bep15RequestHandler(store, new ConnectionIdIssuer(secret, time, options.Udp), registry, time, options.Udp);
        var oracleHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // Named, so an origin's logs and byte counts tell the mapping service's one fetch per segment from the viewers'.
        oracleHttp.DefaultRequestHeaders.UserAgent.ParseAdd(HashOracle.UserAgent);
        var oracle = new HashOracle(oracleHttp, store, mappingKey, time, options.Oracle, loggers?.CreateLogger<HashOracle>());
        var services = new TrackerServices(store, registry, new PushCoordinator(store, registry, time), oracle, handler, mappingKey, options.Udp, time);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(options.HttpEndPoint));
        builder.Logging.ClearProviders();
        if (loggers is not null)
        {
            builder.Services.AddSingleton(loggers);
        }

        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedHostLifetime>();
        var web = builder.Build();
        web.MapTrackerApi();
        await web.StartAsync(cancellationToken).ConfigureAwait(false);

        // Peers flagged super by another instance show up here at the next refresh.
        // With Redis every announce waits one round trip on its receive thread: more threads keep the socket busy.
        var udpOptions = options.Redis is not null && options.Udp.ReceiveLoops == 0 ? options.Udp with { ReceiveLoops = RedisReceiveLoops } : options.Udp;
        var udp = UdpTrackerServer.Start(options.UdpEndPoint, handler, store, time, udpOptions, loggers?.CreateLogger<UdpTrackerServer>());
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal) + "/");
        var host = new TrackerHost(web, udp, services, owned, oracleHttp, http);
        await oracle.FollowAllMappedAsync(cancellationToken).ConfigureAwait(false);
        host._refresh = time.CreateTimer(_ => _ = RefreshQuietlyAsync(registry, oracle), null, options.SuperPeers.RefreshInterval, options.SuperPeers.RefreshInterval);
        return host;
    }

    /// <summary>Picks up what other instances changed: super-peer verdicts, and oracle feeds mapped elsewhere.</summary>
    private static async Task RefreshQuietlyAsync(SuperPeerRegistry registry, HashOracle oracle)
    {
        try
        {
            await registry.RefreshIfStaleAsync().ConfigureAwait(false);
            await oracle.FollowAllMappedAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A store hiccup only delays the next refresh; the old snapshot stays in use.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_refresh is not null)
        {
            await _refresh.DisposeAsync().ConfigureAwait(false);
        }

        await _udp.DisposeAsync().ConfigureAwait(false);
        await _web.StopAsync().ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
        await Services.Oracle.DisposeAsync().ConfigureAwait(false);
        _oracleHttp.Dispose();
        if (_ownedStore is not null)
        {
            await _ownedStore.DisposeAsync().ConfigureAwait(false);
        }
    }
}
