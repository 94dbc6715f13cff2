using System.Net;
using System.Text;
using CsCheck;
using Shoal.Dht.Bencode;
using Shoal.Dht.Ids;
using Shoal.Dht.Krpc;

namespace Shoal.Dht.Tests.Krpc;

public sealed class KrpcTests
{
    private static readonly NodeId Abc = NodeId.FromBytes("abcdefghij0123456789"u8);
    private static readonly NodeId Mno = NodeId.FromBytes("mnopqrstuvwxyz123456"u8);
    private static readonly ReadOnlyMemory<byte> Aa = "aa"u8.ToArray();

    private static KrpcMessage Parse(string text)
    {
        Assert.True(KrpcMessage.TryParse(Encoding.ASCII.GetBytes(text), BencodeLimits.Default, out var message, out var error, out _), error);
        return message;
    }

    // The byte strings below are BEP 5's own examples.
    [Fact]
    public void The_writer_produces_bep5s_example_messages_byte_for_byte()
    {
        Assert.Equal("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe", Encoding.ASCII.GetString(KrpcWriter.Ping(Aa, Abc)));
        Assert.Equal("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re", Encoding.ASCII.GetString(KrpcWriter.Response(Aa, Mno)));
        Assert.Equal("d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe", Encoding.ASCII.GetString(KrpcWriter.FindNode(Aa, Abc, Mno)));
        Assert.Equal("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe", Encoding.ASCII.GetString(KrpcWriter.GetPeers(Aa, Abc, Mno)));
        Assert.Equal(
            "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
            Encoding.ASCII.GetString(KrpcWriter.AnnouncePeer(Aa, Abc, Mno, 6881, "aoeusnth"u8.ToArray(), impliedPort: true)));
        Assert.Equal("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee", Encoding.ASCII.GetString(KrpcWriter.Error(Aa, 201, "A Generic Error Ocurred")));
    }

    [Fact]
    public void Bep5s_example_messages_parse()
    {
        var announce = Parse("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe");
        Assert.Equal((KrpcMessageKind.Query, KrpcMethod.AnnouncePeer), (announce.Kind, announce.Method));
        Assert.Equal((Abc, Mno, 6881, true), (announce.SenderId, announce.InfoHash, announce.Port, announce.ImpliedPort));
        Assert.Equal("aoeusnth", Encoding.ASCII.GetString(announce.Token.Span));

        var values = Parse("d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re");
        Assert.Equal(KrpcMessageKind.Response, values.Kind);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("97.120.106.101"), 11893), new IPEndPoint(IPAddress.Parse("105.100.104.116"), 28269)], values.Values);

        var error = Parse("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee");
        Assert.Equal((KrpcMessageKind.Error, 201, "A Generic Error Ocurred"), (error.Kind, error.ErrorCode, error.ErrorMessage));
    }

    [Theory]
    [InlineData("d1:ad2:id5:shorte1:q4:ping1:t2:aa1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:aa1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti6881ee1:q13:announce_peer1:t2:aa1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe")]
    public void A_query_missing_what_its_method_needs_is_refused_but_its_transaction_id_is_kept_for_an_error(string text)
    {
        Assert.False(KrpcMessage.TryParse(Encoding.ASCII.GetBytes(text), BencodeLimits.Default, out _, out var error, out var transaction));
        Assert.NotEmpty(error);
        Assert.Equal("aa", Encoding.ASCII.GetString(transaction.Span));
    }

    [Theory]
    [InlineData("le")]
    [InlineData("d1:y1:qe")]
    [InlineData("d1:t2:aa1:y1:xe")]
    [InlineData("d1:rd2:id3:abce1:t2:aa1:y1:re")]
    public void Messages_that_are_not_krpc_are_refused_without_a_transaction_to_answer(string text)
    {
        Assert.False(KrpcMessage.TryParse(Encoding.ASCII.GetBytes(text), BencodeLimits.Default, out _, out _, out var transaction));
        Assert.True(transaction.IsEmpty);
    }

    [Fact]
    public void Compact_node_and_peer_info_round_trip()
    {
        var node = Gen.Select(Gen.Byte.Array[NodeId.Length], Gen.UInt, Gen.Int[1, 65535])
            .Select((id, ip, port) => new NodeInfo(NodeId.FromBytes(id), new IPEndPoint(new IPAddress(BitConverter.GetBytes(ip)), port)));
        node.List[0, 16].Sample(nodes =>
        {
            Assert.Equal(nodes, CompactEncoding.DecodeNodes(CompactEncoding.EncodeNodes(nodes)));
            var peers = nodes.Select(n => n.EndPoint).ToList();
            var response = KrpcWriter.Response(Aa, Abc, nodes: nodes, values: peers, token: "tok"u8.ToArray());
            Assert.True(KrpcMessage.TryParse(response, new BencodeLimits { MaxInputBytes = 4096 }, out var parsed, out var error, out _), error);
            Assert.Equal(nodes, parsed.Nodes);
            Assert.Equal(peers, parsed.Values);
            Assert.Equal("tok", Encoding.ASCII.GetString(parsed.Token.Span));
        }, iter: 500);
    }

    [Fact]
    public void A_trailing_partial_node_entry_and_ipv6_peers_are_skipped()
    {
        var nodes = CompactEncoding.EncodeNodes([new NodeInfo(Abc, new IPEndPoint(IPAddress.Loopback, 6881))]);
        Assert.Single(CompactEncoding.DecodeNodes([.. nodes, 1, 2, 3]));
        Assert.Empty(CompactEncoding.EncodePeers([new IPEndPoint(IPAddress.IPv6Loopback, 6881)]));
    }
}
