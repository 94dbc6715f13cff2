using Shoal.Tracker.State;

namespace Shoal.Tracker.Peers;

/// <summary>
/// Chooses the peers one announce response carries from a store sample: first a share of super peers (they have
/// the bandwidth), then a share of peers in the asker's own network (/24 or /48, a cheap proxy for "close"),
/// then random members; never the asker itself, never one peer twice, only peers the response's address family
/// can express.
/// </summary>
public sealed class PeerListPolicy
{
    private readonly double _superShare;
    private readonly double _nearbyShare;

    public PeerListPolicy(double superPeerShare, double nearbyShare)
    {
        if (superPeerShare is < 0 or > 1 || nearbyShare is < 0 or > 1 || superPeerShare + nearbyShare > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(superPeerShare), "The super-peer and nearby shares are fractions that add up to at most 1.");
        }

        _superShare = superPeerShare;
        _nearbyShare = nearbyShare;
    }

    /// <summary>Writes up to <c>output.Length</c> endpoints into <paramref name="output"/> and returns how many.</summary>
    /// <remarks>The sample's order is already random (the store draws it at random), so this policy needs no randomness.</remarks>
    public int Choose(in PeerRecord asker, PeerSample sample, bool ipv6, Span<PeerEndpoint> output)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var want = output.Length;
        if (want == 0)
        {
            return 0;
        }

        var count = 0;
        var superQuota = (int)Math.Ceiling(want * _superShare);
        foreach (var peer in sample.SuperPeers)
        {
            if (count >= superQuota)
            {
                break;
            }

            TryAdd(asker, peer, ipv6, output, ref count);
        }

        var nearbyQuota = count + (int)Math.Ceiling(want * _nearbyShare);
        var prefix = asker.Endpoint.NetworkPrefix;
        foreach (var peer in sample.Members)
        {
            if (count >= Math.Min(want, nearbyQuota))
            {
                break;
            }

            if (peer.Endpoint.NetworkPrefix == prefix)
            {
                TryAdd(asker, peer, ipv6, output, ref count);
            }
        }

        foreach (var peer in sample.Members)
        {
            if (count >= want)
            {
                break;
            }

            TryAdd(asker, peer, ipv6, output, ref count);
        }

        return count;
    }

    private static void TryAdd(in PeerRecord asker, in PeerRecord peer, bool ipv6, Span<PeerEndpoint> output, ref int count)
    {
        if (peer.Endpoint == asker.Endpoint || peer.PeerId == asker.PeerId || peer.Endpoint.IsIPv4 == ipv6)
        {
            return;
        }

        if (output[..count].Contains(peer.Endpoint))
        {
            return;
        }

        output[count++] = peer.Endpoint;
    }
}
