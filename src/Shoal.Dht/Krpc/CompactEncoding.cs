using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Krpc;

/// <summary>
/// BEP 5's compact forms: "compact IP-address/port info" (6 bytes: IPv4 then port, big-endian) for peers and
/// "compact node info" (26 bytes: 20-byte id then the compact endpoint) for nodes. IPv4 only (BEP 32's IPv6
/// forms are not implemented); other address families are skipped when writing.
/// </summary>
public static class CompactEncoding
{
    public const int PeerLength = 6;
    public const int NodeLength = NodeId.Length + PeerLength;

    public static bool TryWritePeer(IPEndPoint endPoint, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        if (address.AddressFamily != AddressFamily.InterNetwork || destination.Length < PeerLength)
        {
            return false;
        }

        address.TryWriteBytes(destination, out _);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)endPoint.Port);
        return true;
    }

    public static IPEndPoint ReadPeer(ReadOnlySpan<byte> source) =>
        new(new IPAddress(source[..4]), BinaryPrimitives.ReadUInt16BigEndian(source[4..]));

    public static byte[] EncodePeers(IEnumerable<IPEndPoint> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var buffer = new List<byte>();
        Span<byte> one = stackalloc byte[PeerLength];
        foreach (var peer in peers)
        {
            if (TryWritePeer(peer, one))
            {
                buffer.AddRange(one);
            }
        }

        return [.. buffer];
    }

    public static byte[] EncodeNodes(IEnumerable<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var buffer = new List<byte>();
        Span<byte> one = stackalloc byte[NodeLength];
        foreach (var node in nodes)
        {
            node.Id.WriteTo(one);
            if (TryWritePeer(node.EndPoint, one[NodeId.Length..]))
            {
                buffer.AddRange(one);
            }
        }

        return [.. buffer];
    }

    /// <summary>Reads whole 26-byte entries; a trailing partial entry is ignored, as Mainline nodes do.</summary>
    public static List<NodeInfo> DecodeNodes(ReadOnlySpan<byte> source)
    {
        var nodes = new List<NodeInfo>(source.Length / NodeLength);
        for (var offset = 0; offset + NodeLength <= source.Length; offset += NodeLength)
        {
            var entry = source.Slice(offset, NodeLength);
            var endPoint = ReadPeer(entry[NodeId.Length..]);
            if (endPoint.Port != 0)
            {
                nodes.Add(new NodeInfo(NodeId.FromBytes(entry[..NodeId.Length]), endPoint));
            }
        }

        return nodes;
    }
}
