using System.Net;
using Shoal.Dht.Bencode;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Krpc;

/// <summary>Builds the bencoded KRPC messages of BEP 5.</summary>
public static class KrpcWriter
{
    public static byte[] Ping(ReadOnlyMemory<byte> transactionId, NodeId self) =>
        Query(transactionId, "ping", ("id", Id(self)));

    public static byte[] FindNode(ReadOnlyMemory<byte> transactionId, NodeId self, NodeId target) =>
        Query(transactionId, "find_node", ("id", Id(self)), ("target", Id(target)));

    public static byte[] GetPeers(ReadOnlyMemory<byte> transactionId, NodeId self, NodeId infoHash) =>
        Query(transactionId, "get_peers", ("id", Id(self)), ("info_hash", Id(infoHash)));

    public static byte[] AnnouncePeer(ReadOnlyMemory<byte> transactionId, NodeId self, NodeId infoHash, int port, ReadOnlyMemory<byte> token, bool impliedPort) =>
        Query(
            transactionId,
            "announce_peer",
            ("id", Id(self)),
            ("implied_port", BValue.FromInteger(impliedPort ? 1 : 0)),
            ("info_hash", Id(infoHash)),
            ("port", BValue.FromInteger(port)),
            ("token", BValue.FromBytes(token)));

    /// <summary>A response; "nodes", "values" and "token" are included only when given.</summary>
    public static byte[] Response(ReadOnlyMemory<byte> transactionId, NodeId self, IReadOnlyCollection<NodeInfo>? nodes = null, IReadOnlyCollection<IPEndPoint>? values = null, ReadOnlyMemory<byte>? token = null)
    {
        var r = new List<(string, BValue)> { ("id", Id(self)) };
        if (nodes is not null)
        {
            r.Add(("nodes", BValue.FromBytes(CompactEncoding.EncodeNodes(nodes))));
        }

        if (values is not null)
        {
            var items = new List<BValue>(values.Count);
            foreach (var peer in values)
            {
                var compact = new byte[CompactEncoding.PeerLength];
                if (CompactEncoding.TryWritePeer(peer, compact))
                {
                    items.Add(BValue.FromBytes(compact));
                }
            }

            r.Add(("values", BValue.FromList(items)));
        }

        if (token is { } t)
        {
            r.Add(("token", BValue.FromBytes(t)));
        }

        return BencodeEncoder.Encode(BValue.FromDictionary(
            ("r", BValue.FromDictionary([.. r])),
            ("t", BValue.FromBytes(transactionId)),
            ("y", BValue.FromString("r"))));
    }

    public static byte[] Error(ReadOnlyMemory<byte> transactionId, int code, string message) =>
        BencodeEncoder.Encode(BValue.FromDictionary(
            ("e", BValue.FromList([BValue.FromInteger(code), BValue.FromString(message)])),
            ("t", BValue.FromBytes(transactionId)),
            ("y", BValue.FromString("e"))));

    private static byte[] Query(ReadOnlyMemory<byte> transactionId, string method, params (string, BValue)[] args) =>
        BencodeEncoder.Encode(BValue.FromDictionary(
            ("a", BValue.FromDictionary(args)),
            ("q", BValue.FromString(method)),
            ("t", BValue.FromBytes(transactionId)),
            ("y", BValue.FromString("q"))));

    private static BValue Id(NodeId id) => BValue.FromBytes(id.ToArray());
}
