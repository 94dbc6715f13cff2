using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Shoal.Core.Identity;

/// <summary>
/// A resource id: the 20 bytes every node derives alone for the same resource, so that no coordination is
/// needed. 20 bytes on purpose: the same key works as a BitTorrent info-hash in UDP trackers (BEP 15) and
/// the Mainline DHT (BEP 5).
/// </summary>
public readonly struct Rid : IEquatable<Rid>, IComparable<Rid>
{
    public const int Length = 20;
    private const int HexLength = Length * 2;
    private const int Base32Length = 32; // 160 bits / 5 bits per character, no padding needed.
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567"; // RFC 4648 §6, lower-cased.

    // Three big-endian words compare and hash quickly and keep the struct free of array references.
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    private Rid(ulong a, ulong b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    /// <summary>The RID of a resource named by an origin URL: SHA-256 over its canonical form, first 20 bytes.</summary>
    public static Rid ForUrl(string url) => ForCanonicalUrl(OriginUrl.Canonicalize(url));

    /// <summary>The RID of an already canonical URL (see <see cref="OriginUrl.Canonicalize"/>).</summary>
    public static Rid ForCanonicalUrl(string canonicalUrl)
    {
        ArgumentNullException.ThrowIfNull(canonicalUrl);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonicalUrl), digest);
        return FromBytes(digest[..Length]);
    }

    /// <summary>
    /// The RID of a published channel: SHA-256 over "shoal-channel\0", the publisher's public key, a zero byte
    /// and the UTF-8 channel name. The prefix keeps channel RIDs apart from URL RIDs.
    /// </summary>
    public static Rid ForChannel(ReadOnlySpan<byte> publisherPublicKey, string channelName)
    {
        ArgumentNullException.ThrowIfNull(channelName);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("shoal-channel\0"u8);
        hash.AppendData(publisherPublicKey);
        hash.AppendData([0]);
        hash.AppendData(Encoding.UTF8.GetBytes(channelName));
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return FromBytes(digest[..Length]);
    }

    public static Rid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A RID is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new Rid(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"A RID needs {Length} bytes of room.", nameof(destination));
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

    /// <summary>40 lower-case hex digits: the form BitTorrent tools print for an info-hash.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>32 lower-case RFC 4648 base32 characters: shorter, and safe in URLs and file names.</summary>
    public string ToBase32()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        Span<char> text = stackalloc char[Base32Length];
        var bitBuffer = 0;
        var bitCount = 0;
        var position = 0;
        foreach (var b in bytes)
        {
            bitBuffer = (bitBuffer << 8) | b;
            bitCount += 8;
            while (bitCount >= 5)
            {
                bitCount -= 5;
                text[position++] = Base32Alphabet[(bitBuffer >> bitCount) & 31];
            }
        }

        return new string(text);
    }

    public override string ToString() => ToHex();

    /// <summary>Parses 40 hex digits or 32 base32 characters (either case); throws <see cref="FormatException"/> with the reason.</summary>
    public static Rid Parse(string text) =>
        TryParse(text, out var rid, out var error) ? rid : throw new FormatException(error);

    public static bool TryParse(string? text, out Rid rid) => TryParse(text, out rid, out _);

    public static bool TryParse(string? text, out Rid rid, out string error)
    {
        rid = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "A RID is 40 hex digits or 32 base32 characters; the text is empty.";
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        if (text.Length == HexLength)
        {
            if (Convert.FromHexString(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length)
            {
                error = $"'{text}' has 40 characters but is not hex.";
                return false;
            }
        }
        else if (text.Length == Base32Length)
        {
            var bitBuffer = 0;
            var bitCount = 0;
            var position = 0;
            foreach (var c in text)
            {
                var value = Base32Alphabet.IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
                if (value < 0)
                {
                    error = $"'{text}' has 32 characters but '{c}' is not a base32 character (a-z, 2-7).";
                    return false;
                }

                bitBuffer = (bitBuffer << 5) | value;
                bitCount += 5;
                if (bitCount >= 8)
                {
                    bitCount -= 8;
                    bytes[position++] = (byte)(bitBuffer >> bitCount);
                }
            }
        }
        else
        {
            error = $"A RID is 40 hex digits or 32 base32 characters; '{text}' has {text.Length}.";
            return false;
        }

        rid = FromBytes(bytes);
        error = string.Empty;
        return true;
    }

    public bool Equals(Rid other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is Rid other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    public int CompareTo(Rid other)
    {
        var byA = _a.CompareTo(other._a);
        if (byA != 0)
        {
            return byA;
        }

        var byB = _b.CompareTo(other._b);
        return byB != 0 ? byB : _c.CompareTo(other._c);
    }

    public static bool operator ==(Rid left, Rid right) => left.Equals(right);

    public static bool operator !=(Rid left, Rid right) => !left.Equals(right);

    public static bool operator <(Rid left, Rid right) => left.CompareTo(right) < 0;

    public static bool operator >(Rid left, Rid right) => left.CompareTo(right) > 0;

    public static bool operator <=(Rid left, Rid right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Rid left, Rid right) => left.CompareTo(right) >= 0;
}
