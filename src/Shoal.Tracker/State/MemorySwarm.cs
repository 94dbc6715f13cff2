using Shoal.Tracker.Peers;

namespace Shoal.Tracker.State;

/// <summary>
/// One swarm in memory: members in a list (swap-removal keeps it dense so a sample is a few index picks) with an
/// index by endpoint, plus the endpoints of its super peers. Not thread-safe: the store locks it.
/// </summary>
internal sealed class MemorySwarm
{
    private readonly List<PeerRecord> _members = new();
    private readonly Dictionary<PeerEndpoint, int> _index = new();
    private readonly List<PeerEndpoint> _superPeers = new();

    public int Seeders { get; private set; }

    /// <summary>Set when the sweep removed this empty swarm from the store: an announce holding it must start over.</summary>
    public bool Detached { get; set; }

    public int Completed { get; set; }

    public long LastAnnounceUnixMs { get; private set; }

    public int Count => _members.Count;

    public int SuperPeerCount => _superPeers.Count;

    public SwarmCounts Counts => new(Seeders, _members.Count - Seeders, Completed);

    public void Upsert(in PeerRecord peer)
    {
        LastAnnounceUnixMs = Math.Max(LastAnnounceUnixMs, peer.LastSeenUnixMs);
        if (_index.TryGetValue(peer.Endpoint, out var at))
        {
            var old = _members[at];
            Seeders += (peer.IsSeeder ? 1 : 0) - (old.IsSeeder ? 1 : 0);
            if (old.IsSuper != peer.IsSuper)
            {
                if (peer.IsSuper)
                {
                    _superPeers.Add(peer.Endpoint);
                }
                else
                {
                    _superPeers.Remove(peer.Endpoint);
                }
            }

            _members[at] = peer;
            return;
        }

        _index[peer.Endpoint] = _members.Count;
        _members.Add(peer);
        Seeders += peer.IsSeeder ? 1 : 0;
        if (peer.IsSuper)
        {
            _superPeers.Add(peer.Endpoint);
        }
    }

    public bool Remove(PeerEndpoint endpoint)
    {
        if (!_index.Remove(endpoint, out var at))
        {
            return false;
        }

        var old = _members[at];
        Seeders -= old.IsSeeder ? 1 : 0;
        if (old.IsSuper)
        {
            _superPeers.Remove(endpoint);
        }

        var last = _members.Count - 1;
        if (at != last)
        {
            _members[at] = _members[last];
            _index[_members[at].Endpoint] = at;
        }

        _members.RemoveAt(last);
        return true;
    }

    /// <summary>
    /// Copies up to <paramref name="count"/> live members into the sample, walking the list from a random start with
    /// a random stride coprime to its length (so every member is equally likely to be picked, without a set).
    /// </summary>
    public void Sample(int count, long cutoffUnixMs, Random random, PeerSample sample)
    {
        var n = _members.Count;
        if (n == 0)
        {
            return;
        }

        var take = Math.Min(count, n);
        var start = random.Next(n);
        var stride = n > 1 ? random.Next(1, n) : 1;
        if (Gcd(stride, n) != 1)
        {
            stride = 1;
        }

        for (int i = 0, at = start; i < take; i++, at = (int)((at + (long)stride) % n))
        {
            var member = _members[at];
            if (member.LastSeenUnixMs >= cutoffUnixMs)
            {
                sample.Members.Add(member);
            }
        }

        var supers = Math.Min(count, _superPeers.Count);
        var superStart = supers > 0 ? random.Next(_superPeers.Count) : 0;
        for (var i = 0; i < supers; i++)
        {
            var member = _members[_index[_superPeers[(superStart + i) % _superPeers.Count]]];
            if (member.LastSeenUnixMs >= cutoffUnixMs)
            {
                sample.SuperPeers.Add(member);
            }
        }
    }

    public int RemoveExpired(long cutoffUnixMs)
    {
        var removed = 0;
        for (var i = _members.Count - 1; i >= 0; i--)
        {
            if (i < _members.Count && _members[i].LastSeenUnixMs < cutoffUnixMs && Remove(_members[i].Endpoint))
            {
                removed++;
            }
        }

        return removed;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
