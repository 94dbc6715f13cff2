namespace Shoal.Tracker.State;

/// <summary>
/// A reusable buffer the store fills with candidates for one peer list: a sample of the swarm's super peers and a
/// sample of its members. One per receive loop, so the hot path allocates nothing.
/// </summary>
public sealed class PeerSample
{
    public List<PeerRecord> SuperPeers { get; } = new();

    public List<PeerRecord> Members { get; } = new();

    public void Clear()
    {
        SuperPeers.Clear();
        Members.Clear();
    }
}
