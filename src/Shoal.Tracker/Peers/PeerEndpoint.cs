using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Shoal.Tracker.Peers;

/// <summary>
/// A peer's UDP address as the tracker stores it: IPv4 is kept in its IPv4-mapped IPv6 form (RFC 4291 §2.5.5.2)
/// so one 16-byte key covers both families and needs no allocation.
/// </summary>
public readonly record struct PeerEndpoint(UInt128 Address, ushort Port)
{
    private static readonly UInt128 V4MappedPrefix = (UInt128)0xFFFF << 32;
    private static readonly UInt128 V4MappedMask = ~(UInt128)uint.MaxValue;

    /// <summary>Bytes of an IPv4 peer in a BEP 15 announce response: 4 address + 2 port.</summary>
    public const int IPv4CompactLength = 6;

    /// <summary>Bytes of an IPv6 peer in a BEP 15 announce response: 16 address + 2 port.</summary>
    public const int IPv6CompactLength = 18;

    public bool IsIPv4 => (Address & V4MappedMask) == V4MappedPrefix;

    public uint IPv4 => (uint)(Address & uint.MaxValue);

    /// <summary>
    /// The network this peer sits in, as a proxy for "close in the network": the /24 for IPv4, the /48 for IPv6.
    /// </summary>
    public UInt128 NetworkPrefix => IsIPv4 ? Address & ~(UInt128)0xFF : Address >> 80;

    public static PeerEndpoint FromIPv4(uint address, ushort port) => new(V4MappedPrefix | address, port);

    public static PeerEndpoint FromIPEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return FromAddress(endPoint.Address, (ushort)endPoint.Port);
    }

    public static PeerEndpoint FromAddress(IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.MapToIPv6().TryWriteBytes(bytes, out _);
        return new PeerEndpoint(BinaryPrimitives.ReadUInt128BigEndian(bytes), port);
    }

    /// <summary>
    /// Reads the endpoint straight out of a socket address (sockaddr_in / sockaddr_in6 layout: port at offset 2,
    /// IPv4 address at 4, IPv6 address at 8), so the receive loop does not allocate an <see cref="IPEndPoint"/>.
    /// </summary>
    public static bool TryFromSocketAddress(SocketAddress socketAddress, out PeerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(socketAddress);
        var buffer = socketAddress.Buffer.Span;
        endpoint = default;
        switch (socketAddress.Family)
        {
            case AddressFamily.InterNetwork when socketAddress.Size >= 8:
                endpoint = FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]), BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]));
                return true;
            case AddressFamily.InterNetworkV6 when socketAddress.Size >= 24:
                endpoint = new PeerEndpoint(BinaryPrimitives.ReadUInt128BigEndian(buffer[8..]), BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]));
                return true;
            default:
                return false;
        }
    }

    public IPAddress ToIPAddress()
    {
        if (IsIPv4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, IPv4);
            return new IPAddress(v4);
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Address);
        return new IPAddress(bytes);
    }

    public IPEndPoint ToIPEndPoint() => new(ToIPAddress(), Port);

    /// <summary>Writes the BEP 15 compact form (address then port, big-endian); IPv4 peers only when <paramref name="ipv6"/> is false.</summary>
    public int WriteCompact(Span<byte> destination, bool ipv6)
    {
        if (ipv6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, Address);
            BinaryPrimitives.WriteUInt16BigEndian(destination[16..], Port);
            return IPv6CompactLength;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, IPv4);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Port);
        return IPv4CompactLength;
    }

    public static PeerEndpoint ReadCompact(ReadOnlySpan<byte> source, bool ipv6) => ipv6
        ? new PeerEndpoint(BinaryPrimitives.ReadUInt128BigEndian(source), BinaryPrimitives.ReadUInt16BigEndian(source[16..]))
        : FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(source), BinaryPrimitives.ReadUInt16BigEndian(source[4..]));

    public override string ToString() => IsIPv4 ? $"{ToIPAddress()}:{Port}" : $"[{ToIPAddress()}]:{Port}";
}
