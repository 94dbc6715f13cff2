using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Shoal.Core.Identity;

namespace Shoal.Core.Tests.Identity;

public sealed class RidTests
{
    private static readonly Gen<Rid> Rids = Gen.Byte.Array[Rid.Length].Select(b => Rid.FromBytes(b));

    [Fact]
    public void Url_rid_is_the_first_20_bytes_of_SHA256_of_the_canonical_url()
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes("https://cdn.example.com/live/index.m3u8"))[..20];
        Assert.Equal(expected, Rid.ForUrl("HTTPS://CDN.example.com:443/live/index.m3u8#t=3").ToArray());
        Assert.Equal(Rid.ForUrl("http://a.example/x"), Rid.ForUrl("HTTP://A.EXAMPLE:80/x"));
        Assert.NotEqual(Rid.ForUrl("http://a.example/x"), Rid.ForUrl("http://a.example/X"));
    }

    [Fact]
    public void Channel_rid_depends_on_key_and_name_and_differs_from_url_rids()
    {
        byte[] key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        var rid = Rid.ForChannel(key, "sports");
        Assert.Equal(rid, Rid.ForChannel(key, "sports"));
        Assert.NotEqual(rid, Rid.ForChannel(key, "sport"));
        key[0] ^= 1;
        Assert.NotEqual(rid, Rid.ForChannel(key, "sports"));
        Assert.NotEqual(Rid.ForCanonicalUrl("sports"), Rid.ForChannel([], "sports"));
    }

    [Fact]
    public void Hex_and_base32_round_trip_in_either_case()
    {
        Rids.Sample(rid =>
        {
            Assert.Equal(40, rid.ToHex().Length);
            Assert.Equal(32, rid.ToBase32().Length);
            Assert.Equal(rid, Rid.Parse(rid.ToHex()));
            Assert.Equal(rid, Rid.Parse(rid.ToHex().ToUpperInvariant()));
            Assert.Equal(rid, Rid.Parse(rid.ToBase32()));
            Assert.Equal(rid, Rid.Parse(rid.ToBase32().ToUpperInvariant()));
            Assert.Equal(rid, Rid.FromBytes(rid.ToArray()));
            Assert.Equal(rid.ToHex(), rid.ToString());
        });
    }

    [Fact]
    public void Base32_uses_the_RFC_4648_alphabet()
    {
        // RFC 4648 §10: BASE32("fooba") = "MZXW6YTB"; 20 bytes of "fooba" repeated encode to that block 4 times.
        var rid = Rid.FromBytes(Encoding.ASCII.GetBytes("foobafoobafoobafooba"));
        Assert.Equal("mzxw6ytbmzxw6ytbmzxw6ytbmzxw6ytb", rid.ToBase32());
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("abc", "has 3")]
    [InlineData("zz00000000000000000000000000000000000000", "not hex")]
    [InlineData("abcdefghijklmnopqrstuvwxyz234561", "'1' is not a base32 character")]
    public void Parse_rejects_bad_text_with_a_clear_reason(string? text, string reason)
    {
        Assert.False(Rid.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(Rid.TryParse(text, out _));
        if (text is not null)
        {
            Assert.Equal(error, Assert.Throws<FormatException>(() => Rid.Parse(text)).Message);
        }
    }

    [Fact]
    public void Wrong_byte_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Rid.FromBytes(new byte[19]));
        Assert.Throws<ArgumentException>(() => Rid.ForUrl("http://a.example/x").WriteTo(new byte[19]));
    }

    [Fact]
    public void Ordering_matches_the_bytes()
    {
        Gen.Select(Rids, Rids).Sample((a, b) =>
        {
            var bytes = a.ToArray().AsSpan().SequenceCompareTo(b.ToArray());
            Assert.Equal(Math.Sign(bytes), Math.Sign(a.CompareTo(b)));
            Assert.Equal(bytes == 0, a == b);
            var copy = Rid.FromBytes(a.ToArray());
            Assert.True(copy == a && copy.CompareTo(a) == 0 && copy.GetHashCode() == a.GetHashCode());
        });
    }
}
