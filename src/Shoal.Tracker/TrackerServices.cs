using Shoal.Core.Manifests;
using Shoal.Tracker.Oracle;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;
using Shoal.Tracker.SuperPeers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker;

/// <summary>The parts of one tracker instance that the UDP server and the HTTP API share.</summary>
public sealed class TrackerServices
{
    public TrackerServices(ITrackerStore store, SuperPeerRegistry registry, PushCoordinator push, HashOracle oracle, Bep15RequestHandler udp, SigningKeyPair mappingKey, UdpTrackerOptions udpOptions, TimeProvider time)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Push = push ?? throw new ArgumentNullException(nameof(push));
        Oracle = oracle ?? throw new ArgumentNullException(nameof(oracle));
        Udp = udp ?? throw new ArgumentNullException(nameof(udp));
        MappingKey = mappingKey ?? throw new ArgumentNullException(nameof(mappingKey));
        UdpOptions = udpOptions ?? throw new ArgumentNullException(nameof(udpOptions));
        Time = time ?? throw new ArgumentNullException(nameof(time));
        Policy = new PeerListPolicy(udpOptions.SuperPeerShare, udpOptions.NearbyShare);
    }

    public ITrackerStore Store { get; }

    public SuperPeerRegistry Registry { get; }

    public PushCoordinator Push { get; }

    public HashOracle Oracle { get; }

    public Bep15RequestHandler Udp { get; }

    public SigningKeyPair MappingKey { get; }

    public UdpTrackerOptions UdpOptions { get; }

    public TimeProvider Time { get; }

    public PeerListPolicy Policy { get; }
}
