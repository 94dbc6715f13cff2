using Shoal.Tracker.Peers;
using Shoal.Tracker.State;

namespace Shoal.Tracker.Udp;

/// <summary>Buffers one receive loop reuses for every request, so answering an announce allocates nothing.</summary>
public sealed class HandlerScratch
{
    public HandlerScratch(int maxPeersPerResponse)
    {
        Peers = new PeerEndpoint[maxPeersPerResponse];
    }

    public PeerSample Sample { get; } = new();

    public PeerEndpoint[] Peers { get; }
}
