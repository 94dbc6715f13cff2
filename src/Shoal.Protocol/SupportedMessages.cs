using System.Buffers.Binary;

namespace Shoal.Protocol;

/// <summary>
/// The set of message types a peer accepts, as carried by the Supported Messages option (RFC 7574 §7.10): a
/// 256-bit bitmap where bit X, counted from the most significant bit of the first byte, stands for message
/// type X, sent truncated after its last non-zero byte.
/// </summary>
public readonly struct SupportedMessages : IEquatable<SupportedMessages>
{
    /// <summary>RFC 7574 §7.10: the bitmap has at most 256 bits.</summary>
    public const int MaxCompressedLength = 32;

    // Word k holds types 64k..64k+63, type 64k+i in bit 63-i: the words written big-endian are the RFC bitmap.
    private readonly ulong _w0;
    private readonly ulong _w1;
    private readonly ulong _w2;
    private readonly ulong _w3;

    private SupportedMessages(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
    }

    /// <summary>No message type.</summary>
    public static SupportedMessages None => default;

    /// <summary>Every message type RFC 7574 defines (0 to 13): what a peer that omits the option supports.</summary>
    public static SupportedMessages AllRfc7574
    {
        get
        {
            var set = None;
            for (var type = MessageType.Handshake; type <= MessageType.PexResCert; type++)
            {
                set = set.With(type);
            }

            return set;
        }
    }

    /// <summary>What Shoal accepts: every RFC 7574 message except PEX_REScert, plus Shoal's extension envelope.</summary>
    public static SupportedMessages Shoal => AllRfc7574.Without(MessageType.PexResCert).With(MessageType.ShoalExtension);

    public bool Contains(MessageType type)
    {
        var bit = (byte)type;
        return ((Word(bit >> 6) >> (63 - (bit & 63))) & 1) != 0;
    }

    public SupportedMessages With(MessageType type) => Set(type, true);

    public SupportedMessages Without(MessageType type) => Set(type, false);

    /// <summary>Bytes of the truncated bitmap (RFC 7574 §7.10: up to the last non-zero byte).</summary>
    public int CompressedLength
    {
        get
        {
            Span<byte> full = stackalloc byte[MaxCompressedLength];
            WriteFull(full);
            return full.LastIndexOfAnyExcept((byte)0) + 1;
        }
    }

    /// <summary>Writes the truncated bitmap; <paramref name="destination"/> must hold <see cref="CompressedLength"/> bytes.</summary>
    public int WriteCompressed(Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[MaxCompressedLength];
        WriteFull(full);
        var length = full.LastIndexOfAnyExcept((byte)0) + 1;
        full[..length].CopyTo(destination);
        return length;
    }

    /// <summary>Reads a truncated bitmap of at most <see cref="MaxCompressedLength"/> bytes (longer input is cut there).</summary>
    public static SupportedMessages FromCompressed(ReadOnlySpan<byte> bitmap)
    {
        Span<byte> full = stackalloc byte[MaxCompressedLength];
        full.Clear();
        bitmap[..Math.Min(bitmap.Length, MaxCompressedLength)].CopyTo(full);
        return new SupportedMessages(
            BinaryPrimitives.ReadUInt64BigEndian(full),
            BinaryPrimitives.ReadUInt64BigEndian(full[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(full[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(full[24..]));
    }

    public bool Equals(SupportedMessages other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override bool Equals(object? obj) => obj is SupportedMessages other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    public static bool operator ==(SupportedMessages left, SupportedMessages right) => left.Equals(right);

    public static bool operator !=(SupportedMessages left, SupportedMessages right) => !left.Equals(right);

    public override string ToString()
    {
        var names = new List<string>();
        for (var type = 0; type < 256; type++)
        {
            if (Contains((MessageType)type))
            {
                names.Add(Enum.IsDefined((MessageType)type) ? ((MessageType)type).ToString() : type.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return "{" + string.Join(", ", names) + "}";
    }

    private ulong Word(int index) => index switch
    {
        0 => _w0,
        1 => _w1,
        2 => _w2,
        _ => _w3,
    };

    private SupportedMessages Set(MessageType type, bool value)
    {
        var bit = (byte)type;
        var mask = 1UL << (63 - (bit & 63));
        ulong Apply(ulong word) => value ? word | mask : word & ~mask;
        return (bit >> 6) switch
        {
            0 => new SupportedMessages(Apply(_w0), _w1, _w2, _w3),
            1 => new SupportedMessages(_w0, Apply(_w1), _w2, _w3),
            2 => new SupportedMessages(_w0, _w1, Apply(_w2), _w3),
            _ => new SupportedMessages(_w0, _w1, _w2, Apply(_w3)),
        };
    }

    private void WriteFull(Span<byte> full)
    {
        BinaryPrimitives.WriteUInt64BigEndian(full, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(full[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(full[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(full[24..], _w3);
    }
}
