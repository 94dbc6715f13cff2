using System.Buffers;
using System.Globalization;

namespace Shoal.Dht.Bencode;

/// <summary>Encodes a <see cref="BValue"/> as canonical bencode (BEP 3: dictionary keys sorted as raw bytes).</summary>
public static class BencodeEncoder
{
    public static byte[] Encode(BValue value)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        Encode(value, writer);
        return writer.WrittenSpan.ToArray();
    }

    public static void Encode(BValue value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(writer);
        switch (value.Kind)
        {
            case BValueKind.Integer:
                WriteByte(writer, (byte)'i');
                WriteDecimal(writer, value.Integer);
                WriteByte(writer, (byte)'e');
                break;
            case BValueKind.ByteString:
                WriteString(writer, value.Bytes.Span);
                break;
            case BValueKind.List:
                WriteByte(writer, (byte)'l');
                foreach (var item in value.Items)
                {
                    Encode(item, writer);
                }

                WriteByte(writer, (byte)'e');
                break;
            default:
                WriteByte(writer, (byte)'d');
                var entries = value.Entries.ToArray();
                Array.Sort(entries, static (x, y) => x.Key.Span.SequenceCompareTo(y.Key.Span));
                foreach (var entry in entries)
                {
                    WriteString(writer, entry.Key.Span);
                    Encode(entry.Value, writer);
                }

                WriteByte(writer, (byte)'e');
                break;
        }
    }

    private static void WriteString(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        WriteDecimal(writer, bytes.Length);
        WriteByte(writer, (byte)':');
        writer.Write(bytes);
    }

    private static void WriteDecimal(IBufferWriter<byte> writer, long number)
    {
        var span = writer.GetSpan(20);
        number.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        writer.Advance(written);
    }

    private static void WriteByte(IBufferWriter<byte> writer, byte b)
    {
        writer.GetSpan(1)[0] = b;
        writer.Advance(1);
    }
}
