using CsCheck;
using Shoal.Core.Availability;

namespace Shoal.Core.Tests.Availability;

public sealed class PieceBitmapTests
{
    private static readonly Gen<bool[]> Bits = Gen.Int[0, 300].SelectMany(n => Gen.Bool.Array[n]);

    private static PieceBitmap From(bool[] bits)
    {
        var bitmap = new PieceBitmap(bits.Length);
        for (var i = 0; i < bits.Length; i++)
        {
            bitmap[i] = bits[i];
        }

        return bitmap;
    }

    [Fact]
    public void Encode_decode_round_trips_and_matches_the_bits()
    {
        Bits.Sample(bits =>
        {
            var bitmap = From(bits);
            Assert.True(PieceBitmap.TryRead(bitmap.ToArray(), bits.Length, out var decoded, out var error), error);
            Assert.Equal(bitmap, decoded);
            Assert.Equal(bits.Count(b => b), decoded.Count);
            Assert.Equal(Array.IndexOf(bits, false), decoded.FirstMissing());
            Assert.Equal(Array.IndexOf(bits, true), decoded.FirstSet());
        });
    }

    [Fact]
    public void Union_intersection_and_difference_agree_with_booleans()
    {
        Gen.Int[0, 300].SelectMany(n => Gen.Select(Gen.Bool.Array[n], Gen.Bool.Array[n])).Sample((a, b) =>
        {
            var union = From(a);
            union.UnionWith(From(b));
            var intersection = From(a);
            intersection.IntersectWith(From(b));
            var except = From(a);
            except.ExceptWith(From(b));
            for (var i = 0; i < a.Length; i++)
            {
                Assert.Equal(a[i] || b[i], union[i]);
                Assert.Equal(a[i] && b[i], intersection[i]);
                Assert.Equal(a[i] && !b[i], except[i]);
            }

            Assert.Equal(Enumerable.Range(0, a.Length).Count(i => b[i] && !a[i]), From(a).CountMissingFrom(From(b)));
        });
    }

    [Fact]
    public void First_missing_from_an_offset_and_full_bitmap()
    {
        var full = PieceBitmap.Full(130);
        Assert.True(full.IsComplete);
        Assert.Equal(-1, full.FirstMissing());
        Assert.Equal(130, full.Count);
        full[129] = false;
        Assert.Equal(129, full.FirstMissing(70));
        Assert.Equal(-1, new PieceBitmap(0).FirstMissing());
    }

    [Fact]
    public void Decoder_rejects_wrong_length_and_spare_bits()
    {
        Assert.False(PieceBitmap.TryRead([0xFF], 9, out _, out var error));
        Assert.Contains("2 bytes", error, StringComparison.Ordinal);
        Assert.False(PieceBitmap.TryRead([0xFF, 0x40], 9, out _, out error));
        Assert.Contains("past its 9 pieces", error, StringComparison.Ordinal);
        Assert.True(PieceBitmap.TryRead([0xFF, 0x80], 9, out var ok, out _));
        Assert.True(ok.IsComplete);
    }

    [Fact]
    public void Rarest_missing_piece_is_the_one_fewest_neighbours_hold()
    {
        var availability = new PieceAvailability(4);
        availability.Add(From([true, true, true, false]));
        availability.Add(From([true, false, true, false]));
        availability.Add(From([false, false, true, true]));
        // holders: 2, 1, 3, 1. We hold piece 1: rarest missing is piece 3.
        Assert.Equal(3, availability.RarestMissing(From([false, true, false, false])));
        Assert.Equal(0, availability.RarestMissing(From([false, true, false, true])));
        Assert.Equal(-1, availability.RarestMissing(PieceBitmap.Full(4)));
        availability.Remove(From([false, false, true, true]));
        Assert.Equal(-1, availability.RarestMissing(From([true, true, true, false])));
    }
}
