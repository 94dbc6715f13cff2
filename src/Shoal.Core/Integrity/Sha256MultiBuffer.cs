using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Shoal.Core.Integrity;

/// <summary>
/// SHA-256 (FIPS 180-4) of up to 16 equal-length messages at once, one per 32-bit lane of AVX-512 registers (or 8 per
/// AVX2 register). A Merkle tree hashes many small independent messages (1 KiB leaves, 64-byte inner nodes), which a
/// one-message-at-a-time hash pays for twice: a call per message and a padding block per message. Hashing them side by
/// side more than wins that back. Results are checked against <c>SHA256.HashData</c> lane by lane in the tests.
/// </summary>
internal static class Sha256MultiBuffer
{
    private const int WideLanes = 16;
    private const int NarrowLanes = 8;
    private const int BlockLength = 64;
    private const int HashLength = 32;
    private const byte Xor3 = 0x96;
    private const byte Choose = 0xCA;
    private const byte Majority = 0xE8;

    // An array, not a ReadOnlySpan property over constant data: unoptimised (Debug) builds rebuild such a span on every
    // access, which made the round constants a tenth of the test suite's simulation time.
    private static readonly uint[] K =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static ReadOnlySpan<uint> InitialState =>
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    // The final padding block of a message that is a whole number of blocks is the same for every such message of
    // that length, so its message schedule (plus the round constants) is computed once per length.
    private static readonly uint[] PaddingSchedule64 = PaddingSchedule(64);
    private static readonly uint[] PaddingSchedule1024 = PaddingSchedule(1024);

    public static bool IsWideSupported => Avx512F.IsSupported && Avx512BW.IsSupported;

    public static bool IsNarrowSupported => Avx2.IsSupported;

    public static bool IsSupported => IsWideSupported || IsNarrowSupported;

    /// <summary>Messages hashed per call on this CPU.</summary>
    public static int Lanes => IsWideSupported ? WideLanes : NarrowLanes;

    /// <summary>
    /// Hashes <paramref name="count"/> (1 to 16) messages of <paramref name="messageLength"/> bytes (64 or 1024),
    /// message i at <c>data[i * stride..]</c>, writing digest i at <c>destination[i * destinationStride..]</c>.
    /// </summary>
    public static void Hash(ReadOnlySpan<byte> data, int stride, int count, int messageLength, Span<byte> destination, int destinationStride)
    {
        if (IsWideSupported)
        {
            HashWide(data, stride, count, messageLength, destination, destinationStride);
        }
        else
        {
            HashNarrow(data, stride, count, messageLength, destination, destinationStride);
        }
    }

    /// <summary>The AVX-512 form of <see cref="Hash"/>: up to 16 messages.</summary>
    internal static void HashWide(ReadOnlySpan<byte> data, int stride, int count, int messageLength, Span<byte> destination, int destinationStride)
    {
        const int Lanes = WideLanes;
        var padding = messageLength switch
        {
            64 => PaddingSchedule64,
            1024 => PaddingSchedule1024,
            _ => throw new ArgumentOutOfRangeException(nameof(messageLength), messageLength, "Only 64- and 1024-byte messages are batched."),
        };
        if ((uint)(count - 1) >= Lanes || data.Length < ((count - 1) * stride) + messageLength)
        {
            throw new ArgumentException("The messages do not fit in the data.", nameof(data));
        }

        var state = default(State);
        for (var i = 0; i < 8; i++)
        {
            state[i] = Vector512.Create(InitialState[i]);
        }

        Span<uint> words = stackalloc uint[8 * Lanes];
        var schedule = default(State16);
        for (var block = 0; block < messageLength / BlockLength; block++)
        {
            LoadTransposed(data, stride, count, block * BlockLength, ref schedule);
            Compress(ref state, ref schedule);
        }

        CompressConstant(ref state, padding);

        for (var i = 0; i < 8; i++)
        {
            state[i].CopyTo(words.Slice(i * Lanes, Lanes));
        }

        for (var lane = 0; lane < count; lane++)
        {
            var digest = destination.Slice(lane * destinationStride, HashLength);
            for (var i = 0; i < 8; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], words[(i * Lanes) + lane]);
            }
        }
    }

    // Loads block `offset` of each lane's message and transposes the 16×16 words so that w[j] holds word j of every
    // lane, big-endian as FIPS 180-4 reads it: byte swap, then 32-bit and 64-bit interleaves and two 128-bit lane
    // shuffles (a 4×4 transpose of 128-bit lanes).
    private static void LoadTransposed(ReadOnlySpan<byte> data, int stride, int count, int offset, ref State16 w)
    {
        var swap = Vector512.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
        // Rows are taken four at a time; their interleaves are parked in w, then transposed in place by 128-bit lanes.
        for (var g = 0; g < 4; g++)
        {
            var r0 = LoadRow(data, stride, count, offset, (4 * g) + 0, swap);
            var r1 = LoadRow(data, stride, count, offset, (4 * g) + 1, swap);
            var r2 = LoadRow(data, stride, count, offset, (4 * g) + 2, swap);
            var r3 = LoadRow(data, stride, count, offset, (4 * g) + 3, swap);
            var t0 = Avx512F.UnpackLow(r0, r1).AsUInt64();
            var t1 = Avx512F.UnpackHigh(r0, r1).AsUInt64();
            var t2 = Avx512F.UnpackLow(r2, r3).AsUInt64();
            var t3 = Avx512F.UnpackHigh(r2, r3).AsUInt64();
            w[(4 * g) + 0] = Avx512F.UnpackLow(t0, t2).AsUInt32();
            w[(4 * g) + 1] = Avx512F.UnpackHigh(t0, t2).AsUInt32();
            w[(4 * g) + 2] = Avx512F.UnpackLow(t1, t3).AsUInt32();
            w[(4 * g) + 3] = Avx512F.UnpackHigh(t1, t3).AsUInt32();
        }

        for (var m = 0; m < 4; m++)
        {
            var x0 = Avx512F.Shuffle4x128(w[m], w[4 + m], 0x44);
            var x1 = Avx512F.Shuffle4x128(w[m], w[4 + m], 0xEE);
            var x2 = Avx512F.Shuffle4x128(w[8 + m], w[12 + m], 0x44);
            var x3 = Avx512F.Shuffle4x128(w[8 + m], w[12 + m], 0xEE);
            w[m] = Avx512F.Shuffle4x128(x0, x2, 0x88);
            w[4 + m] = Avx512F.Shuffle4x128(x0, x2, 0xDD);
            w[8 + m] = Avx512F.Shuffle4x128(x1, x3, 0x88);
            w[12 + m] = Avx512F.Shuffle4x128(x1, x3, 0xDD);
        }
    }

    // Lanes past `count` repeat message 0: their results are dropped.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> LoadRow(ReadOnlySpan<byte> data, int stride, int count, int offset, int lane, Vector512<byte> swap) =>
        Avx512BW.Shuffle(Vector512.Create<byte>(data.Slice(((lane < count ? lane : 0) * stride) + offset, BlockLength)), swap).AsUInt32();

    private static void Compress(ref State state, ref State16 w)
    {
        Vector512<uint> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var t = 0; t < 64; t++)
        {
            var slot = t & 15;
            if (t >= 16)
            {
                var w15 = w[(t - 15) & 15];
                var w2 = w[(t - 2) & 15];
                var s0 = Avx512F.TernaryLogic(Avx512F.RotateRight(w15, 7), Avx512F.RotateRight(w15, 18), Vector512.ShiftRightLogical(w15, 3), Xor3);
                var s1 = Avx512F.TernaryLogic(Avx512F.RotateRight(w2, 17), Avx512F.RotateRight(w2, 19), Vector512.ShiftRightLogical(w2, 10), Xor3);
                w[slot] = w[slot] + s0 + w[(t - 7) & 15] + s1;
            }

            Round(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, w[slot] + Vector512.Create(K[t]));
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    private static void CompressConstant(ref State state, uint[] scheduleWithConstants)
    {
        Vector512<uint> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var t = 0; t < 64; t++)
        {
            Round(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, Vector512.Create(scheduleWithConstants[t]));
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        ref Vector512<uint> a, ref Vector512<uint> b, ref Vector512<uint> c, ref Vector512<uint> d,
        ref Vector512<uint> e, ref Vector512<uint> f, ref Vector512<uint> g, ref Vector512<uint> h,
        Vector512<uint> kw)
    {
        var sigma1 = Avx512F.TernaryLogic(Avx512F.RotateRight(e, 6), Avx512F.RotateRight(e, 11), Avx512F.RotateRight(e, 25), Xor3);
        var t1 = h + sigma1 + Avx512F.TernaryLogic(e, f, g, Choose) + kw;
        var sigma0 = Avx512F.TernaryLogic(Avx512F.RotateRight(a, 2), Avx512F.RotateRight(a, 13), Avx512F.RotateRight(a, 22), Xor3);
        var t2 = sigma0 + Avx512F.TernaryLogic(a, b, c, Majority);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }

    /// <summary>The AVX2 form of <see cref="Hash"/>: up to 8 messages.</summary>
    internal static void HashNarrow(ReadOnlySpan<byte> data, int stride, int count, int messageLength, Span<byte> destination, int destinationStride)
    {
        const int Lanes = NarrowLanes;
        var padding = messageLength switch
        {
            64 => PaddingSchedule64,
            1024 => PaddingSchedule1024,
            _ => throw new ArgumentOutOfRangeException(nameof(messageLength), messageLength, "Only 64- and 1024-byte messages are batched."),
        };
        if ((uint)(count - 1) >= Lanes || data.Length < ((count - 1) * stride) + messageLength)
        {
            throw new ArgumentException("The messages do not fit in the data.", nameof(data));
        }

        var state = default(NarrowState);
        for (var i = 0; i < 8; i++)
        {
            state[i] = Vector256.Create(InitialState[i]);
        }

        var schedule = default(NarrowState16);
        for (var block = 0; block < messageLength / BlockLength; block++)
        {
            LoadTransposedNarrow(data, stride, count, block * BlockLength, ref schedule);
            CompressNarrow(ref state, ref schedule);
        }

        CompressConstantNarrow(ref state, padding);

        Span<uint> words = stackalloc uint[8 * Lanes];
        for (var i = 0; i < 8; i++)
        {
            state[i].CopyTo(words.Slice(i * Lanes, Lanes));
        }

        for (var lane = 0; lane < count; lane++)
        {
            var digest = destination.Slice(lane * destinationStride, HashLength);
            for (var i = 0; i < 8; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], words[(i * Lanes) + lane]);
            }
        }
    }

    // As LoadTransposed, for 8 lanes: each lane's 16 words are two 8×8 transposes (words 0–7 and 8–15).
    private static void LoadTransposedNarrow(ReadOnlySpan<byte> data, int stride, int count, int offset, ref NarrowState16 w)
    {
        var swap = Vector256.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
        for (var half = 0; half < 2; half++)
        {
            var h = 8 * half;
            for (var g = 0; g < 2; g++)
            {
                var r0 = LoadRowNarrow(data, stride, count, offset + (half * 32), (4 * g) + 0, swap);
                var r1 = LoadRowNarrow(data, stride, count, offset + (half * 32), (4 * g) + 1, swap);
                var r2 = LoadRowNarrow(data, stride, count, offset + (half * 32), (4 * g) + 2, swap);
                var r3 = LoadRowNarrow(data, stride, count, offset + (half * 32), (4 * g) + 3, swap);
                var t0 = Avx2.UnpackLow(r0, r1).AsUInt64();
                var t1 = Avx2.UnpackHigh(r0, r1).AsUInt64();
                var t2 = Avx2.UnpackLow(r2, r3).AsUInt64();
                var t3 = Avx2.UnpackHigh(r2, r3).AsUInt64();
                w[h + (4 * g) + 0] = Avx2.UnpackLow(t0, t2).AsUInt32();
                w[h + (4 * g) + 1] = Avx2.UnpackHigh(t0, t2).AsUInt32();
                w[h + (4 * g) + 2] = Avx2.UnpackLow(t1, t3).AsUInt32();
                w[h + (4 * g) + 3] = Avx2.UnpackHigh(t1, t3).AsUInt32();
            }

            for (var m = 0; m < 4; m++)
            {
                var low = w[h + m];
                var high = w[h + 4 + m];
                w[h + m] = Avx2.Permute2x128(low, high, 0x20);
                w[h + 4 + m] = Avx2.Permute2x128(low, high, 0x31);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> LoadRowNarrow(ReadOnlySpan<byte> data, int stride, int count, int offset, int lane, Vector256<byte> swap) =>
        Avx2.Shuffle(Vector256.Create<byte>(data.Slice(((lane < count ? lane : 0) * stride) + offset, 32)), swap).AsUInt32();

    private static void CompressNarrow(ref NarrowState state, ref NarrowState16 w)
    {
        Vector256<uint> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var t = 0; t < 64; t++)
        {
            var slot = t & 15;
            if (t >= 16)
            {
                var w15 = w[(t - 15) & 15];
                var w2 = w[(t - 2) & 15];
                var s0 = RotateRight(w15, 7) ^ RotateRight(w15, 18) ^ Vector256.ShiftRightLogical(w15, 3);
                var s1 = RotateRight(w2, 17) ^ RotateRight(w2, 19) ^ Vector256.ShiftRightLogical(w2, 10);
                w[slot] = w[slot] + s0 + w[(t - 7) & 15] + s1;
            }

            RoundNarrow(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, w[slot] + Vector256.Create(K[t]));
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    private static void CompressConstantNarrow(ref NarrowState state, uint[] scheduleWithConstants)
    {
        Vector256<uint> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var t = 0; t < 64; t++)
        {
            RoundNarrow(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, Vector256.Create(scheduleWithConstants[t]));
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RoundNarrow(
        ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d,
        ref Vector256<uint> e, ref Vector256<uint> f, ref Vector256<uint> g, ref Vector256<uint> h,
        Vector256<uint> kw)
    {
        var sigma1 = RotateRight(e, 6) ^ RotateRight(e, 11) ^ RotateRight(e, 25);
        var t1 = h + sigma1 + (g ^ (e & (f ^ g))) + kw;
        var sigma0 = RotateRight(a, 2) ^ RotateRight(a, 13) ^ RotateRight(a, 22);
        var t2 = sigma0 + ((a & b) | (c & (a | b)));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateRight(Vector256<uint> x, [ConstantExpected] int n) =>
        Vector256.ShiftRightLogical(x, n) | Vector256.ShiftLeft(x, 32 - n);

    private static uint[] PaddingSchedule(int messageLength)
    {
        var w = new uint[64];
        w[0] = 0x8000_0000;
        var bits = (ulong)messageLength * 8;
        w[14] = (uint)(bits >> 32);
        w[15] = (uint)bits;
        for (var t = 16; t < 64; t++)
        {
            var s0 = uint.RotateRight(w[t - 15], 7) ^ uint.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            var s1 = uint.RotateRight(w[t - 2], 17) ^ uint.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }

        for (var t = 0; t < 64; t++)
        {
            w[t] += K[t];
        }

        return w;
    }

    [InlineArray(8)]
    private struct NarrowState
    {
        private Vector256<uint> _element;
    }

    [InlineArray(16)]
    private struct NarrowState16
    {
        private Vector256<uint> _element;
    }

    [InlineArray(8)]
    private struct State
    {
        private Vector512<uint> _element;
    }

    [InlineArray(16)]
    private struct State16
    {
        private Vector512<uint> _element;
    }
}
