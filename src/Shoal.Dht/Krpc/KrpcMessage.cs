using System.Net;
using System.Text;
using Shoal.Dht.Bencode;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Krpc;

/// <summary>
/// One parsed KRPC message (BEP 5): a query with its arguments, a response with its return values, or an error.
/// Parsing validates every field a handler relies on, so handlers never see a half-formed message.
/// </summary>
public sealed class KrpcMessage
{
    /// <summary>Longest transaction id echoed back; Mainline clients use 2 to 4 bytes.</summary>
    public const int MaxTransactionIdLength = 16;

    private static readonly IReadOnlyList<NodeInfo> NoNodes = [];
    private static readonly IReadOnlyList<IPEndPoint> NoPeers = [];

    public KrpcMessageKind Kind { get; private init; }

    public ReadOnlyMemory<byte> TransactionId { get; private init; }

    public KrpcMethod Method { get; private init; }

    /// <summary>The querying node's id ("a.id") or the responding node's id ("r.id").</summary>
    public NodeId SenderId { get; private init; }

    /// <summary>find_node's "target".</summary>
    public NodeId Target { get; private init; }

    /// <summary>get_peers' and announce_peer's "info_hash".</summary>
    public NodeId InfoHash { get; private init; }

    public int Port { get; private init; }

    public bool ImpliedPort { get; private init; }

    public ReadOnlyMemory<byte> Token { get; private init; }

    public IReadOnlyList<NodeInfo> Nodes { get; private init; } = NoNodes;

    public IReadOnlyList<IPEndPoint> Values { get; private init; } = NoPeers;

    public int ErrorCode { get; private init; }

    public string ErrorMessage { get; private init; } = string.Empty;

    /// <summary>
    /// Parses a datagram. On failure <paramref name="error"/> says why, and <paramref name="queryTransactionId"/>
    /// is the transaction id when the datagram was at least recognisably a query, so a protocol error (203) can
    /// be returned to the sender; otherwise it is empty and the datagram should be dropped silently.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> datagram, BencodeLimits limits, out KrpcMessage message, out string error, out ReadOnlyMemory<byte> queryTransactionId)
    {
        message = null!;
        queryTransactionId = default;
        if (!BencodeDecoder.TryDecode(datagram, limits, out var root, out var bencodeError))
        {
            error = $"not bencode: {bencodeError}";
            return false;
        }

        if (root.Kind != BValueKind.Dictionary)
        {
            error = "a KRPC message is a dictionary";
            return false;
        }

        if (!root.TryGetBytes("t"u8, out var transactionId) || transactionId.Length > MaxTransactionIdLength)
        {
            error = "missing or oversized transaction id 't'";
            return false;
        }

        if (!root.TryGetBytes("y"u8, out var y) || y.Length != 1)
        {
            error = "missing message type 'y'";
            return false;
        }

        switch (y.Span[0])
        {
            case (byte)'q':
                queryTransactionId = transactionId;
                return TryParseQuery(root, transactionId, out message, out error);
            case (byte)'r':
                return TryParseResponse(root, transactionId, out message, out error);
            case (byte)'e':
                return TryParseError(root, transactionId, out message, out error);
            default:
                error = "unknown message type 'y'";
                return false;
        }
    }

    private static bool TryParseQuery(BValue root, ReadOnlyMemory<byte> transactionId, out KrpcMessage message, out string error)
    {
        message = null!;
        if (!root.TryGetBytes("q"u8, out var name))
        {
            error = "query without method 'q'";
            return false;
        }

        if (!root.TryGetDictionary("a"u8, out var args) || !args.TryGetBytes("id"u8, out var id) || !NodeId.TryFromBytes(id.Span, out var senderId))
        {
            error = "query without a 20-byte 'a.id'";
            return false;
        }

        var method = name.Span switch
        {
            var n when n.SequenceEqual("ping"u8) => KrpcMethod.Ping,
            var n when n.SequenceEqual("find_node"u8) => KrpcMethod.FindNode,
            var n when n.SequenceEqual("get_peers"u8) => KrpcMethod.GetPeers,
            var n when n.SequenceEqual("announce_peer"u8) => KrpcMethod.AnnouncePeer,
            _ => KrpcMethod.Unknown,
        };

        NodeId target = default;
        NodeId infoHash = default;
        ReadOnlyMemory<byte> token = default;
        long port = 0;
        long implied = 0;
        switch (method)
        {
            case KrpcMethod.FindNode:
                if (!args.TryGetBytes("target"u8, out var t) || !NodeId.TryFromBytes(t.Span, out target))
                {
                    error = "find_node without a 20-byte 'target'";
                    return false;
                }

                break;
            case KrpcMethod.GetPeers:
            case KrpcMethod.AnnouncePeer:
                if (!args.TryGetBytes("info_hash"u8, out var h) || !NodeId.TryFromBytes(h.Span, out infoHash))
                {
                    error = $"{Encoding.ASCII.GetString(name.Span)} without a 20-byte 'info_hash'";
                    return false;
                }

                if (method == KrpcMethod.AnnouncePeer)
                {
                    args.TryGetInteger("implied_port"u8, out implied);
                    var hasPort = args.TryGetInteger("port"u8, out port);
                    if (!args.TryGetBytes("token"u8, out token) || (implied == 0 && (!hasPort || port is < 1 or > ushort.MaxValue)))
                    {
                        error = "announce_peer without 'token' or a valid 'port'";
                        return false;
                    }
                }

                break;
        }

        message = new KrpcMessage
        {
            Kind = KrpcMessageKind.Query,
            TransactionId = transactionId,
            Method = method,
            SenderId = senderId,
            Target = target,
            InfoHash = infoHash,
            Port = port is >= 0 and <= ushort.MaxValue ? (int)port : 0,
            ImpliedPort = implied != 0,
            Token = token,
        };
        error = string.Empty;
        return true;
    }

    private static bool TryParseResponse(BValue root, ReadOnlyMemory<byte> transactionId, out KrpcMessage message, out string error)
    {
        message = null!;
        if (!root.TryGetDictionary("r"u8, out var r) || !r.TryGetBytes("id"u8, out var id) || !NodeId.TryFromBytes(id.Span, out var senderId))
        {
            error = "response without a 20-byte 'r.id'";
            return false;
        }

        var nodes = r.TryGetBytes("nodes"u8, out var compactNodes) ? CompactEncoding.DecodeNodes(compactNodes.Span) : NoNodes;
        IReadOnlyList<IPEndPoint> values = NoPeers;
        if (r.TryGetList("values"u8, out var list))
        {
            var peers = new List<IPEndPoint>(list.Items.Count);
            foreach (var item in list.Items)
            {
                // BEP 32 peers (18 bytes) and junk are skipped; only IPv4 compact peers are understood.
                if (item.Kind == BValueKind.ByteString && item.Bytes.Length == CompactEncoding.PeerLength)
                {
                    var peer = CompactEncoding.ReadPeer(item.Bytes.Span);
                    if (peer.Port != 0)
                    {
                        peers.Add(peer);
                    }
                }
            }

            values = peers;
        }

        r.TryGetBytes("token"u8, out var token);
        message = new KrpcMessage
        {
            Kind = KrpcMessageKind.Response,
            TransactionId = transactionId,
            SenderId = senderId,
            Nodes = nodes,
            Values = values,
            Token = token,
        };
        error = string.Empty;
        return true;
    }

    private static bool TryParseError(BValue root, ReadOnlyMemory<byte> transactionId, out KrpcMessage message, out string error)
    {
        var code = 0L;
        var text = string.Empty;
        if (root.TryGetList("e"u8, out var e))
        {
            if (e.Items.Count > 0 && e.Items[0].Kind == BValueKind.Integer)
            {
                code = e.Items[0].Integer;
            }

            if (e.Items.Count > 1 && e.Items[1].Kind == BValueKind.ByteString)
            {
                text = Encoding.UTF8.GetString(e.Items[1].Bytes.Span);
            }
        }

        message = new KrpcMessage
        {
            Kind = KrpcMessageKind.Error,
            TransactionId = transactionId,
            ErrorCode = code is >= int.MinValue and <= int.MaxValue ? (int)code : 0,
            ErrorMessage = text,
        };
        error = string.Empty;
        return true;
    }
}
