using System.Net;
using Shoal.Dht.Ids;
using Shoal.Dht.Storage;

namespace Shoal.Dht.Tests.Storage;

public sealed class PeerStoreTests
{
    private static readonly NodeId InfoHash = NodeId.Random(new Random(1));

    private static IPEndPoint Peer(int i) => new(new IPAddress([192, 0, 2, (byte)i]), 6000 + i);

    [Fact]
    public void Peers_expire_after_thirty_minutes_unless_announced_again()
    {
        var store = new PeerStore(DhtOptions.Default);
        var random = new Random(2);
        store.Add(InfoHash, Peer(1), TimeSpan.Zero);
        store.Add(InfoHash, Peer(2), TimeSpan.Zero);
        store.Add(InfoHash, Peer(2), TimeSpan.FromMinutes(20));
        Assert.Equal(2, store.Get(InfoHash, TimeSpan.FromMinutes(29), 10, random).Count);
        Assert.Equal([Peer(2)], store.Get(InfoHash, TimeSpan.FromMinutes(30), 10, random));
        store.Expire(TimeSpan.FromMinutes(51));
        Assert.Equal(0, store.InfoHashCount);
    }

    [Fact]
    public void Each_info_hash_holds_a_bounded_number_of_peers_and_the_oldest_gives_way()
    {
        var options = DhtOptions.Default with { MaxPeersPerInfoHash = 5 };
        var store = new PeerStore(options);
        for (var i = 0; i < 20; i++)
        {
            store.Add(InfoHash, Peer(i), TimeSpan.FromSeconds(i));
        }

        Assert.Equal(5, store.CountFor(InfoHash));
        Assert.Equal(Enumerable.Range(15, 5).Select(Peer).OrderBy(p => p.ToString()), store.Get(InfoHash, TimeSpan.FromSeconds(30), 10, new Random(3)).OrderBy(p => p.ToString()));
    }

    [Fact]
    public void The_store_refuses_new_info_hashes_when_full_and_answers_with_a_bounded_sample()
    {
        var options = DhtOptions.Default with { MaxInfoHashes = 3 };
        var store = new PeerStore(options);
        var random = new Random(4);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(store.Add(NodeId.Random(random), Peer(i), TimeSpan.Zero));
        }

        Assert.False(store.Add(NodeId.Random(random), Peer(9), TimeSpan.Zero));
        Assert.True(store.Add(NodeId.Random(random), Peer(9), TimeSpan.FromMinutes(31)));

        for (var i = 0; i < 100; i++)
        {
            store.Add(InfoHash, Peer(i), TimeSpan.FromMinutes(31));
        }

        var sample = store.Get(InfoHash, TimeSpan.FromMinutes(31), 8, random);
        Assert.Equal(8, sample.Count);
        Assert.Equal(8, sample.Distinct().Count());
    }
}
