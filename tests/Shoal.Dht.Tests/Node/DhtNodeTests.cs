using System.Net;
using System.Text;
using CsCheck;
using Shoal.Dht.Bencode;
using Shoal.Dht.Ids;
using Shoal.Dht.Krpc;

namespace Shoal.Dht.Tests.Node;

public sealed class DhtNodeTests
{
    private static readonly TimeSpan Now = TimeSpan.FromSeconds(5);
    private static readonly IPEndPoint Asker = new(IPAddress.Parse("198.51.100.1"), 4000);
    private static readonly ReadOnlyMemory<byte> T = "tx"u8.ToArray();

    private static DhtNode NewNode(int seed = 1, DhtOptions? options = null) =>
        new(NodeId.Random(new Random(seed)), options ?? DhtOptions.Default, new Random(seed), TimeSpan.Zero);

    private static List<(IPEndPoint To, byte[] Datagram)> Drain(DhtNode node)
    {
        var sent = new List<(IPEndPoint, byte[])>();
        while (node.TryPollTransmit(out var to, out var datagram))
        {
            sent.Add((to, datagram.ToArray()));
        }

        return sent;
    }

    private static KrpcMessage AskOne(DhtNode node, IPEndPoint from, byte[] query)
    {
        node.Receive(Now, from, query);
        var (to, datagram) = Assert.Single(Drain(node));
        Assert.Equal(from, to);
        Assert.True(KrpcMessage.TryParse(datagram, BencodeLimits.Default, out var reply, out var error, out _), error);
        return reply;
    }

    /// <summary>A node whose routing table and peer store are full enough that every answer is as large as it gets.</summary>
    private static (DhtNode Node, NodeId InfoHash) BusyNode(DhtOptions? options = null)
    {
        var node = NewNode(options: options);
        var random = new Random(9);
        for (var i = 0; i < 300; i++)
        {
            var from = new IPEndPoint(new IPAddress([10, 2, (byte)(i >> 8), (byte)i]), 6881);
            node.Receive(Now, from, KrpcWriter.Ping(T, NodeId.Random(random)));
        }

        var infoHash = NodeId.Random(random);
        for (var i = 0; i < 300; i++)
        {
            node.Peers.Add(infoHash, new IPEndPoint(new IPAddress([10, 3, (byte)(i >> 8), (byte)i]), 7000 + i), Now);
        }

        Drain(node);
        return (node, infoHash);
    }

    [Fact]
    public void Ping_find_node_and_get_peers_are_answered_with_the_nodes_own_id()
    {
        var (node, infoHash) = BusyNode();
        var asker = NodeId.Random(new Random(2));

        var pong = AskOne(node, Asker, KrpcWriter.Ping(T, asker));
        Assert.Equal((KrpcMessageKind.Response, node.Id), (pong.Kind, pong.SenderId));
        Assert.Equal("tx", Encoding.ASCII.GetString(pong.TransactionId.Span));

        var target = NodeId.Random(new Random(3));
        var found = AskOne(node, Asker, KrpcWriter.FindNode(T, asker, target));
        Assert.Equal(node.Routing.Closest(target, 8), found.Nodes);

        var peers = AskOne(node, Asker, KrpcWriter.GetPeers(T, asker, infoHash));
        Assert.InRange(peers.Values.Count, 1, DhtOptions.Default.MaxValuesPerResponse);
        Assert.False(peers.Token.IsEmpty);

        var noPeers = AskOne(node, Asker, KrpcWriter.GetPeers(T, asker, NodeId.Random(new Random(4))));
        Assert.Empty(noPeers.Values);
        Assert.Equal(8, noPeers.Nodes.Count);
    }

    [Fact]
    public void Announce_peer_needs_a_token_given_to_the_same_address()
    {
        var node = NewNode();
        var asker = NodeId.Random(new Random(2));
        var infoHash = NodeId.Random(new Random(3));
        var token = AskOne(node, Asker, KrpcWriter.GetPeers(T, asker, infoHash)).Token;

        var forged = AskOne(node, Asker, KrpcWriter.AnnouncePeer(T, asker, infoHash, 6881, "12345678"u8.ToArray(), impliedPort: false));
        Assert.Equal((KrpcMessageKind.Error, KrpcErrorCode.Protocol), (forged.Kind, forged.ErrorCode));

        var elsewhere = new IPEndPoint(IPAddress.Parse("198.51.100.2"), 4000);
        var stolen = AskOne(node, elsewhere, KrpcWriter.AnnouncePeer(T, asker, infoHash, 6881, token, impliedPort: false));
        Assert.Equal(KrpcMessageKind.Error, stolen.Kind);
        Assert.Equal(0, node.Peers.CountFor(infoHash));

        var ok = AskOne(node, Asker, KrpcWriter.AnnouncePeer(T, asker, infoHash, 6881, token, impliedPort: false));
        Assert.Equal(KrpcMessageKind.Response, ok.Kind);
        var implied = AskOne(node, Asker, KrpcWriter.AnnouncePeer(T, asker, infoHash, 6881, token, impliedPort: true));
        Assert.Equal(KrpcMessageKind.Response, implied.Kind);
        var stored = node.Peers.Get(infoHash, Now, 10, new Random(1)).OrderBy(p => p.Port).ToList();
        Assert.Equal([Asker, new IPEndPoint(Asker.Address, 6881)], stored);

        // Ten minutes later the token has expired.
        node.Receive(Now + TimeSpan.FromMinutes(10), Asker, KrpcWriter.AnnouncePeer(T, asker, infoHash, 6882, token, impliedPort: false));
        var late = Drain(node).Select(d => KrpcMessage.TryParse(d.Datagram, BencodeLimits.Default, out var m, out _, out _) ? m : null).Single(m => m?.TransactionId.Span.SequenceEqual("tx"u8) == true);
        Assert.Equal(KrpcMessageKind.Error, late!.Kind);
    }

    [Fact]
    public void Unknown_methods_and_malformed_queries_get_a_krpc_error_and_junk_gets_nothing()
    {
        var node = NewNode();
        var unknown = AskOne(node, Asker, Encoding.ASCII.GetBytes("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t2:aa1:y1:qe"));
        Assert.Equal((KrpcMessageKind.Error, KrpcErrorCode.MethodUnknown), (unknown.Kind, unknown.ErrorCode));

        var malformed = AskOne(node, Asker, Encoding.ASCII.GetBytes("d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe"));
        Assert.Equal((KrpcMessageKind.Error, KrpcErrorCode.Protocol), (malformed.Kind, malformed.ErrorCode));

        node.Receive(Now, Asker, "garbage"u8);
        node.Receive(Now, Asker, new byte[DhtOptions.Default.MaxDatagramBytes + 1]);
        Assert.Empty(Drain(node));
        Assert.Equal(1, node.Counters.DroppedOversized);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)] // tight enough that find_node and get_peers answers must be trimmed
    public void No_answer_is_ever_larger_than_the_amplification_bound_times_its_query(int factor)
    {
        var (node, infoHash) = BusyNode(DhtOptions.Default with { MaxAmplification = factor, RateLimitBurst = 100_000 });
        var query = Gen.Select(Gen.Int[0, 3], Gen.Byte.Array[1, 16], Gen.Byte.Array[NodeId.Length], Gen.Int[1, 65535], Gen.Bool).Select((method, t, id, port, known) =>
        {
            var target = known ? infoHash : NodeId.FromBytes(id);
            var asker = NodeId.FromBytes(id);
            return method switch
            {
                0 => KrpcWriter.Ping(t, asker),
                1 => KrpcWriter.FindNode(t, asker, target),
                2 => KrpcWriter.GetPeers(t, asker, target),
                _ => KrpcWriter.AnnouncePeer(t, asker, target, port, new byte[8], false),
            };
        });
        var sources = 0;
        query.Sample(datagram =>
        {
            var from = new IPEndPoint(new IPAddress([172, 16, (byte)(sources >> 8), (byte)sources++]), 1000);
            node.Receive(Now, from, datagram);
            foreach (var (_, answer) in Drain(node))
            {
                Assert.True(answer.Length <= factor * datagram.Length, $"{answer.Length}-byte answer to a {datagram.Length}-byte query");
            }
        }, iter: 2000, threads: 1);
        Assert.True(node.Counters.QueriesAnswered > 1000);
    }

    [Fact]
    public void A_flood_from_one_address_is_answered_at_the_rate_limit_while_others_are_served()
    {
        var options = DhtOptions.Default;
        var node = NewNode(options: options);
        var ping = KrpcWriter.Ping(T, NodeId.Random(new Random(5)));
        for (var i = 0; i < 10_000; i++)
        {
            node.Receive(Now, Asker, ping);
        }

        Assert.Equal((int)options.RateLimitBurst, Drain(node).Count);
        Assert.Equal(10_000 - (long)options.RateLimitBurst, node.Counters.DroppedRateLimited);
        Assert.Equal(KrpcMessageKind.Response, AskOne(node, new IPEndPoint(IPAddress.Parse("198.51.100.99"), 1), ping).Kind);

        for (var i = 0; i < 10_000; i++)
        {
            node.Receive(Now + TimeSpan.FromSeconds(1), Asker, ping);
        }

        Assert.Equal((int)options.RateLimitPerSecond, Drain(node).Count);

        // Loopback is this host: exempt by default, limited when asked.
        for (var i = 0; i < 1000; i++)
        {
            node.Receive(Now, new IPEndPoint(IPAddress.Loopback, 9), ping);
        }

        Assert.Equal(1000, Drain(node).Count);
        var strict = NewNode(options: options with { RateLimitLoopback = true });
        for (var i = 0; i < 1000; i++)
        {
            strict.Receive(Now, new IPEndPoint(IPAddress.Loopback, 9), ping);
        }

        Assert.Equal((int)options.RateLimitBurst, Drain(strict).Count);
    }

    [Fact]
    public void Random_and_mutated_datagrams_never_crash_the_node()
    {
        var node = NewNode();
        var valid = new[]
        {
            KrpcWriter.Ping(T, node.Id),
            KrpcWriter.GetPeers(T, node.Id, node.Id),
            KrpcWriter.AnnouncePeer(T, node.Id, node.Id, 1, new byte[8], true),
            KrpcWriter.Response(T, node.Id, nodes: [new NodeInfo(node.Id, Asker)], values: [Asker], token: new byte[8]),
            KrpcWriter.Error(T, 201, "x"),
        };
        var sources = 0;
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 400], Gen.Byte, Gen.Byte.Array[0, 64]).Sample((which, at, b, noise) =>
        {
            var bytes = valid[which].ToList();
            bytes[at % bytes.Count] = b;
            bytes.InsertRange(at % (bytes.Count + 1), noise.Take(at % 5));
            var from = new IPEndPoint(new IPAddress([172, 17, (byte)(sources >> 8), (byte)sources++]), 1000);
            node.Receive(Now, from, bytes.ToArray());
            node.Receive(Now, from, noise);
            Drain(node);
        }, iter: 20_000, threads: 1);
        node.WakeUp(Now + TimeSpan.FromHours(1));
        Assert.True(node.Counters.DroppedMalformed > 0);
    }

    [Fact]
    public void A_response_from_an_endpoint_that_was_not_asked_is_dropped()
    {
        var node = NewNode();
        var bootstrap = new IPEndPoint(IPAddress.Parse("192.0.2.50"), 6881);
        node.Bootstrap(Now, [bootstrap]);
        var (to, query) = Assert.Single(Drain(node));
        Assert.Equal(bootstrap, to);
        Assert.True(KrpcMessage.TryParse(query, BencodeLimits.Default, out var sent, out _, out _));

        var stranger = NodeId.Random(new Random(8));
        var spoofed = KrpcWriter.Response(sent.TransactionId, stranger, nodes: []);
        node.Receive(Now, new IPEndPoint(IPAddress.Parse("192.0.2.51"), 6881), spoofed);
        Assert.Equal(1, node.Counters.DroppedUnexpectedResponses);
        Assert.Equal(0, node.Routing.Count);

        node.Receive(Now, bootstrap, spoofed);
        Assert.True(node.Routing.Contains(stranger));
        Assert.True(node.TryPollResult(out var result));
        Assert.Equal(stranger, Assert.Single(result.ClosestNodes).Id);
    }

    [Fact]
    public void A_newcomer_to_a_full_bucket_makes_the_node_ping_a_questionable_entry_and_replace_it_when_silent()
    {
        var node = NewNode(seed: 12);
        var random = new Random(12);
        IPEndPoint Address(int i) => new(new IPAddress([10, 4, 0, (byte)i]), 6881);
        var far = Enumerable.Range(1, 8).Select(i => (Id: node.Id.RandomWithCommonPrefix(0, random), EndPoint: Address(i))).ToList();
        foreach (var (id, endPoint) in far)
        {
            node.Receive(Now, endPoint, KrpcWriter.Ping(T, id));
        }

        // A near node splits the table, so the far bucket can no longer grow.
        node.Receive(Now, Address(50), KrpcWriter.Ping(T, node.Id.RandomWithCommonPrefix(3, random)));
        Drain(node);
        Assert.True(node.Routing.BucketCount >= 2);

        var later = Now + DhtOptions.Default.QuestionableAfter + TimeSpan.FromSeconds(1);
        var newcomer = node.Id.RandomWithCommonPrefix(0, random);
        node.Receive(later, Address(99), KrpcWriter.Ping(T, newcomer));
        var sent = Drain(node);
        Assert.Equal(2, sent.Count); // the answer to the newcomer and the eviction ping
        var (pinged, ping) = sent.Single(d => !d.To.Equals(Address(99)));
        Assert.True(KrpcMessage.TryParse(ping, BencodeLimits.Default, out var pingMessage, out _, out _));
        Assert.Equal((KrpcMessageKind.Query, KrpcMethod.Ping), (pingMessage.Kind, pingMessage.Method));
        Assert.False(node.Routing.Contains(newcomer));

        node.WakeUp(later + DhtOptions.Default.QueryTimeout);
        Assert.True(node.Routing.Contains(newcomer));
        Assert.False(node.Routing.Contains(far.Single(f => f.EndPoint.Equals(pinged)).Id));
    }
}
