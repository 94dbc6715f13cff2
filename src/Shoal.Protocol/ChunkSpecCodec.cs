using System.Buffers.Binary;

namespace Shoal.Protocol;

/// <summary>Reads and writes one chunk specification in any RFC 7574 §4 addressing method.</summary>
internal static class ChunkSpecCodec
{
    /*
     * RFC 7574 §4.1.1 chunk ranges (32 or 64 bits each), §4.1.2 byte ranges (64 bits each):
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * ~                 Start chunk / byte (32 or 64)                 ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * ~                  End chunk / byte (32 or 64)                  ~
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     *
     * RFC 7574 §4.2 bins: one 32- or 64-bit bin number. Bin b at layer l (l = trailing one bits of b) and
     * offset o covers chunks o*2^l .. (o+1)*2^l - 1, where b + 1 = (2o + 1) * 2^l.
     */

    public static bool TryRead(ReadOnlySpan<byte> source, ChunkAddressingMethod method, out ChunkSpec spec, out DecodeError error)
    {
        spec = default;
        var length = WireFormat.ChunkSpecLengthOf(method);
        if (length == 0)
        {
            error = DecodeError.UnsupportedChunkAddressing;
            return false;
        }

        if (source.Length < length)
        {
            error = DecodeError.Truncated;
            return false;
        }

        ulong start;
        ulong end;
        switch (method)
        {
            case ChunkAddressingMethod.ChunkRanges32:
                start = BinaryPrimitives.ReadUInt32BigEndian(source);
                end = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
                break;
            case ChunkAddressingMethod.ChunkRanges64:
            case ChunkAddressingMethod.ByteRanges64:
                start = BinaryPrimitives.ReadUInt64BigEndian(source);
                end = BinaryPrimitives.ReadUInt64BigEndian(source[8..]);
                break;
            case ChunkAddressingMethod.Bins32:
                (start, end) = BinToRange(BinaryPrimitives.ReadUInt32BigEndian(source));
                break;
            default:
                (start, end) = BinToRange(BinaryPrimitives.ReadUInt64BigEndian(source));
                break;
        }

        if (start > end)
        {
            error = DecodeError.InvalidChunkSpec;
            return false;
        }

        spec = new ChunkSpec(start, end);
        error = DecodeError.None;
        return true;
    }

    /// <summary>Writes <paramref name="spec"/>; throws on a value the method cannot express (a programmer error).</summary>
    public static int Write(Span<byte> destination, ChunkAddressingMethod method, ChunkSpec spec)
    {
        if (spec.Start > spec.End)
        {
            throw new ArgumentException($"Chunk specification {spec} starts after it ends.", nameof(spec));
        }

        switch (method)
        {
            case ChunkAddressingMethod.ChunkRanges32:
                if (spec.End > uint.MaxValue)
                {
                    throw new ArgumentOutOfRangeException(nameof(spec), spec, "32-bit chunk ranges cannot address chunks beyond 2^32 - 1.");
                }

                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)spec.Start);
                BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)spec.End);
                return 8;
            case ChunkAddressingMethod.ChunkRanges64:
            case ChunkAddressingMethod.ByteRanges64:
                BinaryPrimitives.WriteUInt64BigEndian(destination, spec.Start);
                BinaryPrimitives.WriteUInt64BigEndian(destination[8..], spec.End);
                return 16;
            case ChunkAddressingMethod.Bins32:
                var bin32 = RangeToBin(spec, 32);
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)bin32);
                return 4;
            case ChunkAddressingMethod.Bins64:
                BinaryPrimitives.WriteUInt64BigEndian(destination, RangeToBin(spec, 64));
                return 8;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Not a chunk addressing method of RFC 7574 Table 6.");
        }
    }

    /// <summary>Whether <paramref name="spec"/> is one bin of a <paramref name="bits"/>-bit bin space: a power-of-two run aligned on its size whose bin number fits.</summary>
    public static bool IsBin(ChunkSpec spec, int bits) => TryRangeToBin(spec, bits, out _);

    private static (ulong Start, ulong End) BinToRange(ulong bin)
    {
        // UInt128 keeps b + 1 = 2^64 (the root of the 64-bit space) exact.
        var next = (UInt128)bin + 1;
        var layer = (int)UInt128.TrailingZeroCount(next);
        var start = (next >> (layer + 1)) << layer;
        var end = start + (UInt128.One << layer) - 1;
        return ((ulong)start, (ulong)end);
    }

    private static bool TryRangeToBin(ChunkSpec spec, int bits, out ulong bin)
    {
        bin = 0;
        if (spec.Start > spec.End)
        {
            return false;
        }

        var width = (UInt128)spec.End - spec.Start + 1;
        if (!UInt128.IsPow2(width) || spec.Start % width != 0)
        {
            return false;
        }

        var layer = (int)UInt128.TrailingZeroCount(width);
        var offset = (UInt128)spec.Start >> layer;
        var number = (((offset << 1) | 1) << layer) - 1;
        if (number > (bits == 64 ? ulong.MaxValue : uint.MaxValue))
        {
            return false;
        }

        bin = (ulong)number;
        return true;
    }

    private static ulong RangeToBin(ChunkSpec spec, int bits) => TryRangeToBin(spec, bits, out var bin)
        ? bin
        : throw new ArgumentException($"Chunk specification {spec} is not a {bits}-bit bin (a power-of-two run aligned on its size).", nameof(spec));
}
