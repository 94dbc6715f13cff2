using Shoal.Tracker.Peers;

namespace Shoal.Tracker.State;

/// <summary>What a swarm remembers of one member: where it is, who it says it is, whether it is a seeder or super peer, when it last announced.</summary>
public readonly record struct PeerRecord(PeerEndpoint Endpoint, PeerId PeerId, long Left, bool IsSuper, long LastSeenUnixMs)
{
    public bool IsSeeder => Left == 0;
}
