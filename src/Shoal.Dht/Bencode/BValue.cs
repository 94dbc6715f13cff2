using System.Text;

namespace Shoal.Dht.Bencode;

/// <summary>
/// One decoded or to-be-encoded bencoded value. Byte strings are slices of the datagram they were read from, so
/// decoding copies no payload bytes; dictionaries keep their entries in wire order and are searched linearly,
/// which is the fastest choice for KRPC's dictionaries of a handful of keys.
/// </summary>
public sealed class BValue
{
    private static readonly IReadOnlyList<BValue> NoItems = [];
    private static readonly IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, BValue>> NoEntries = [];

    private BValue(BValueKind kind, long integer, ReadOnlyMemory<byte> bytes, IReadOnlyList<BValue> items, IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, BValue>> entries)
    {
        Kind = kind;
        Integer = integer;
        Bytes = bytes;
        Items = items;
        Entries = entries;
    }

    public BValueKind Kind { get; }

    /// <summary>The value of an <see cref="BValueKind.Integer"/>; 0 otherwise.</summary>
    public long Integer { get; }

    /// <summary>The bytes of a <see cref="BValueKind.ByteString"/>; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The items of a <see cref="BValueKind.List"/>; empty otherwise.</summary>
    public IReadOnlyList<BValue> Items { get; }

    /// <summary>The entries of a <see cref="BValueKind.Dictionary"/> in the order given; empty otherwise.</summary>
    public IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, BValue>> Entries { get; }

    public static BValue FromInteger(long value) => new(BValueKind.Integer, value, default, NoItems, NoEntries);

    public static BValue FromBytes(ReadOnlyMemory<byte> bytes) => new(BValueKind.ByteString, 0, bytes, NoItems, NoEntries);

    public static BValue FromString(string text) => FromBytes(Encoding.UTF8.GetBytes(text));

    public static BValue FromList(IReadOnlyList<BValue> items) => new(BValueKind.List, 0, default, items, NoEntries);

    public static BValue FromDictionary(IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, BValue>> entries) =>
        new(BValueKind.Dictionary, 0, default, NoItems, entries);

    /// <summary>A dictionary from (UTF-8 key, value) pairs; the encoder sorts the keys as BEP 3 requires.</summary>
    public static BValue FromDictionary(params (string Key, BValue Value)[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new KeyValuePair<ReadOnlyMemory<byte>, BValue>[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            list[i] = new(Encoding.UTF8.GetBytes(entries[i].Key), entries[i].Value);
        }

        return FromDictionary(list);
    }

    /// <summary>Looks a key up in a dictionary; false for a missing key or a value that is not a dictionary.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out BValue value)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Span.SequenceEqual(key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null!;
        return false;
    }

    public bool TryGetBytes(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> bytes)
    {
        if (TryGet(key, out var value) && value.Kind == BValueKind.ByteString)
        {
            bytes = value.Bytes;
            return true;
        }

        bytes = default;
        return false;
    }

    public bool TryGetInteger(ReadOnlySpan<byte> key, out long integer)
    {
        if (TryGet(key, out var value) && value.Kind == BValueKind.Integer)
        {
            integer = value.Integer;
            return true;
        }

        integer = 0;
        return false;
    }

    public bool TryGetDictionary(ReadOnlySpan<byte> key, out BValue dictionary)
    {
        if (TryGet(key, out var value) && value.Kind == BValueKind.Dictionary)
        {
            dictionary = value;
            return true;
        }

        dictionary = null!;
        return false;
    }

    public bool TryGetList(ReadOnlySpan<byte> key, out BValue list)
    {
        if (TryGet(key, out var value) && value.Kind == BValueKind.List)
        {
            list = value;
            return true;
        }

        list = null!;
        return false;
    }

    /// <summary>Structural equality (dictionaries compare entry by entry in order), for tests and diagnostics.</summary>
    public bool StructurallyEquals(BValue other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Kind != other.Kind)
        {
            return false;
        }

        switch (Kind)
        {
            case BValueKind.Integer:
                return Integer == other.Integer;
            case BValueKind.ByteString:
                return Bytes.Span.SequenceEqual(other.Bytes.Span);
            case BValueKind.List:
                if (Items.Count != other.Items.Count)
                {
                    return false;
                }

                for (var i = 0; i < Items.Count; i++)
                {
                    if (!Items[i].StructurallyEquals(other.Items[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                if (Entries.Count != other.Entries.Count)
                {
                    return false;
                }

                for (var i = 0; i < Entries.Count; i++)
                {
                    if (!Entries[i].Key.Span.SequenceEqual(other.Entries[i].Key.Span) || !Entries[i].Value.StructurallyEquals(other.Entries[i].Value))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    public override string ToString() => Kind switch
    {
        BValueKind.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        BValueKind.ByteString => $"<{Bytes.Length} bytes>",
        BValueKind.List => $"[{string.Join(", ", Items)}]",
        _ => "{" + string.Join(", ", Entries.Select(e => Encoding.UTF8.GetString(e.Key.Span) + ": " + e.Value)) + "}",
    };
}
