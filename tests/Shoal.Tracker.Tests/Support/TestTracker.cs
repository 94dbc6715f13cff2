using System.Net;
using Shoal.Tracker.State;
using Shoal.Tracker.SuperPeers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Support;

/// <summary>A Shoal UDP tracker on 127.0.0.1:0 over a given store, for tests.</summary>
internal sealed class TestTracker : IAsyncDisposable
{
    private TestTracker(UdpTrackerServer server, ITrackerStore store, SuperPeerRegistry registry)
    {
        Server = server;
        Store = store;
        Registry = registry;
    }

    public UdpTrackerServer Server { get; }

    public ITrackerStore Store { get; }

    public SuperPeerRegistry Registry { get; }

    public IPEndPoint EndPoint => Server.LocalEndPoint;

    public static TestTracker Start(ITrackerStore? store = null, UdpTrackerOptions? options = null, TimeProvider? time = null, byte[]? secret = null)
    {
        options ??= new UdpTrackerOptions { ReceiveLoops = 2 };
        time ??= TimeProvider.System;
        store ??= new InMemoryTrackerStore(options.PeerLifetime, seed: 42);
        var registry = new SuperPeerRegistry(store, time, new SuperPeerOptions());
        var handler = new Bep15RequestHandler(store, new ConnectionIdIssuer(secret ?? ConnectionIdIssuer.NewSecret(), time, options), registry, time, options);
        var server = UdpTrackerServer.Start(new IPEndPoint(IPAddress.Loopback, 0), handler, store, time, options);
        return new TestTracker(server, store, registry);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
