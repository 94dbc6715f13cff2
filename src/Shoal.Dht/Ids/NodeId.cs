using System.Buffers.Binary;
using Shoal.Core.Identity;

namespace Shoal.Dht.Ids;

/// <summary>
/// A 160-bit Kademlia identifier (BEP 5): a node's id, or a lookup target such as an info-hash (a RID's 20
/// bytes). Distance is the XOR metric, compared as a 160-bit unsigned big-endian number.
/// </summary>
public readonly struct NodeId : IEquatable<NodeId>, IComparable<NodeId>
{
    public const int Length = 20;
    public const int Bits = Length * 8;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    private NodeId(ulong a, ulong b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    public static NodeId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A node id is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new NodeId(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out NodeId id)
    {
        id = bytes.Length == Length ? FromBytes(bytes) : default;
        return bytes.Length == Length;
    }

    public static NodeId FromRid(Rid rid)
    {
        Span<byte> bytes = stackalloc byte[Length];
        rid.WriteTo(bytes);
        return FromBytes(bytes);
    }

    public Rid ToRid()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return Rid.FromBytes(bytes);
    }

    /// <summary>A uniformly random id from the caller's seeded source.</summary>
    public static NodeId Random(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[Length];
        random.NextBytes(bytes);
        return FromBytes(bytes);
    }

    /// <summary>
    /// A random id that shares exactly <paramref name="prefixLength"/> leading bits with this one: a target
    /// inside the k-bucket at that depth, used to refresh it (BEP 5: "pick a random ID in the range of the bucket").
    /// </summary>
    public NodeId RandomWithCommonPrefix(int prefixLength, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, Bits);
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> own = stackalloc byte[Length];
        Span<byte> result = stackalloc byte[Length];
        WriteTo(own);
        random.NextBytes(result);
        for (var bit = 0; bit < Math.Min(prefixLength + 1, Bits); bit++)
        {
            var mask = (byte)(0x80 >> (bit % 8));
            var ownBit = own[bit / 8] & mask;
            var wanted = bit < prefixLength ? ownBit : ownBit ^ mask;
            result[bit / 8] = (byte)((result[bit / 8] & ~mask) | wanted);
        }

        return FromBytes(result);
    }

    public NodeId Xor(NodeId other) => new(_a ^ other._a, _b ^ other._b, _c ^ other._c);

    /// <summary>Leading bits this id shares with another (160 when equal).</summary>
    public int CommonPrefixLength(NodeId other)
    {
        var d = Xor(other);
        if (d._a != 0)
        {
            return System.Numerics.BitOperations.LeadingZeroCount(d._a);
        }

        if (d._b != 0)
        {
            return 64 + System.Numerics.BitOperations.LeadingZeroCount(d._b);
        }

        return d._c != 0 ? 128 + System.Numerics.BitOperations.LeadingZeroCount(d._c) : Bits;
    }

    /// <summary>Negative when <paramref name="x"/> is closer to this id than <paramref name="y"/> by the XOR metric.</summary>
    public int CompareDistance(NodeId x, NodeId y) => x.Xor(this).CompareTo(y.Xor(this));

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"A node id needs {Length} bytes of room.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _c);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    public string ToHex() => Convert.ToHexStringLower(ToArray());

    public override string ToString() => ToHex();

    public bool Equals(NodeId other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    public int CompareTo(NodeId other)
    {
        var byA = _a.CompareTo(other._a);
        if (byA != 0)
        {
            return byA;
        }

        var byB = _b.CompareTo(other._b);
        return byB != 0 ? byB : _c.CompareTo(other._c);
    }

    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);

    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;
}
