using System.Net;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Storage;

/// <summary>
/// The peers announced to this node (BEP 5 announce_peer), per info-hash: entries expire after
/// <see cref="DhtOptions.PeerTimeToLive"/>, each info-hash holds at most <see cref="DhtOptions.MaxPeersPerInfoHash"/>
/// (the oldest gives way) and at most <see cref="DhtOptions.MaxInfoHashes"/> info-hashes are kept.
/// </summary>
public sealed class PeerStore(DhtOptions options)
{
    private readonly Dictionary<NodeId, Dictionary<IPEndPoint, TimeSpan>> _byInfoHash = [];

    public int InfoHashCount => _byInfoHash.Count;

    public int CountFor(NodeId infoHash) => _byInfoHash.TryGetValue(infoHash, out var peers) ? peers.Count : 0;

    /// <summary>Stores or refreshes a peer; false when the store is full of other info-hashes.</summary>
    public bool Add(NodeId infoHash, IPEndPoint peer, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!_byInfoHash.TryGetValue(infoHash, out var peers))
        {
            if (_byInfoHash.Count >= options.MaxInfoHashes)
            {
                Expire(now);
                if (_byInfoHash.Count >= options.MaxInfoHashes)
                {
                    return false;
                }
            }

            peers = [];
            _byInfoHash[infoHash] = peers;
        }

        if (!peers.ContainsKey(peer) && peers.Count >= options.MaxPeersPerInfoHash)
        {
            var oldest = peers.MinBy(p => p.Value).Key;
            peers.Remove(oldest);
        }

        peers[peer] = now + options.PeerTimeToLive;
        return true;
    }

    /// <summary>Up to <paramref name="max"/> live peers, a random sample when more are stored.</summary>
    public List<IPEndPoint> Get(NodeId infoHash, TimeSpan now, int max, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var result = new List<IPEndPoint>();
        if (!_byInfoHash.TryGetValue(infoHash, out var peers))
        {
            return result;
        }

        foreach (var (peer, expiry) in peers)
        {
            if (expiry > now)
            {
                result.Add(peer);
            }
        }

        if (result.Count > max)
        {
            for (var i = 0; i < max; i++)
            {
                var j = random.Next(i, result.Count);
                (result[i], result[j]) = (result[j], result[i]);
            }

            result.RemoveRange(max, result.Count - max);
        }

        return result;
    }

    public void Expire(TimeSpan now)
    {
        foreach (var (infoHash, peers) in _byInfoHash.ToList())
        {
            foreach (var (peer, expiry) in peers.ToList())
            {
                if (expiry <= now)
                {
                    peers.Remove(peer);
                }
            }

            if (peers.Count == 0)
            {
                _byInfoHash.Remove(infoHash);
            }
        }
    }
}
