using System.Text;
using CsCheck;
using Shoal.Dht.Bencode;

namespace Shoal.Dht.Tests.Bencode;

public sealed class BencodeTests
{
    private static readonly BencodeLimits Roomy = new() { MaxInputBytes = 1 << 20, MaxDepth = 64, MaxValues = 100_000, MaxStringBytes = 1 << 20 };

    private static Gen<BValue> Value(int depth)
    {
        var integer = Gen.Long.Select(BValue.FromInteger);
        var bytes = Gen.Byte.Array[0, 40].Select(b => BValue.FromBytes(b));
        if (depth == 0)
        {
            return Gen.OneOf(integer, bytes);
        }

        var inner = Value(depth - 1);
        var list = inner.List[0, 5].Select(items => BValue.FromList(items));
        var dictionary = Gen.Select(Gen.Byte.Array[0, 8], inner).List[0, 5].Select(entries =>
        {
            // Canonical form: unique keys in raw byte order, which is what the encoder writes.
            var unique = entries
                .GroupBy(e => Convert.ToHexString(e.Item1))
                .Select(g => g.First())
                .OrderBy(e => e.Item1, Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))
                .Select(e => new KeyValuePair<ReadOnlyMemory<byte>, BValue>(e.Item1, e.Item2))
                .ToList();
            return BValue.FromDictionary(unique);
        });
        return Gen.OneOf(integer, bytes, list, dictionary);
    }

    private static bool Decode(string text, out BValue value, out BencodeError error) =>
        BencodeDecoder.TryDecode(Encoding.ASCII.GetBytes(text), Roomy, out value, out error);

    [Fact]
    public void Encoding_then_decoding_gives_the_same_value()
    {
        Value(4).Sample(value =>
        {
            var encoded = BencodeEncoder.Encode(value);
            Assert.True(BencodeDecoder.TryDecode(encoded, Roomy, out var decoded, out var error), error.ToString());
            Assert.True(value.StructurallyEquals(decoded));
            Assert.Equal(encoded, BencodeEncoder.Encode(decoded));
        }, iter: 3000);
    }

    [Fact]
    public void Random_bytes_never_throw_and_whatever_decodes_reencodes_to_a_decodable_value()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            if (BencodeDecoder.TryDecode(bytes, out var value, out _))
            {
                Assert.True(BencodeDecoder.TryDecode(BencodeEncoder.Encode(value), Roomy, out _, out _));
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Mutated_valid_messages_never_throw()
    {
        var gen = Gen.Select(Value(3), Gen.Int[0, 1000], Gen.Byte, Gen.Int[0, 2]);
        gen.Sample((value, position, b, operation) =>
        {
            var bytes = BencodeEncoder.Encode(value).ToList();
            var at = position % (bytes.Count + 1);
            switch (operation)
            {
                case 0 when at < bytes.Count:
                    bytes[at] = b;
                    break;
                case 1:
                    bytes.Insert(at, b);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }

            BencodeDecoder.TryDecode(bytes.ToArray(), out _, out _);
        }, iter: 10_000);
    }

    [Theory]
    [InlineData("i-0e", BencodeErrorKind.BadInteger)]
    [InlineData("i03e", BencodeErrorKind.BadInteger)]
    [InlineData("ie", BencodeErrorKind.BadInteger)]
    [InlineData("i-e", BencodeErrorKind.BadInteger)]
    [InlineData("i1x2e", BencodeErrorKind.BadInteger)]
    [InlineData("i9223372036854775808e", BencodeErrorKind.BadInteger)]
    [InlineData("i12", BencodeErrorKind.Truncated)]
    [InlineData("03:abc", BencodeErrorKind.BadLength)]
    [InlineData("-1:a", BencodeErrorKind.UnexpectedByte)]
    [InlineData("5:abc", BencodeErrorKind.Truncated)]
    [InlineData("4294967296:", BencodeErrorKind.StringTooLong)]
    [InlineData("99999999999999999999999:", BencodeErrorKind.BadLength)]
    [InlineData("l", BencodeErrorKind.Truncated)]
    [InlineData("d3:key", BencodeErrorKind.Truncated)]
    [InlineData("di1ei2ee", BencodeErrorKind.KeyNotString)]
    [InlineData("i1ei2e", BencodeErrorKind.TrailingBytes)]
    [InlineData("x", BencodeErrorKind.UnexpectedByte)]
    [InlineData("", BencodeErrorKind.Truncated)]
    public void Malformed_input_is_an_error_with_its_reason(string text, BencodeErrorKind kind)
    {
        Assert.False(Decode(text, out _, out var error));
        Assert.Equal(kind, error.Kind);
    }

    [Theory]
    [InlineData("i0e", 0L)]
    [InlineData("i-42e", -42L)]
    [InlineData("i9223372036854775807e", long.MaxValue)]
    [InlineData("i-9223372036854775808e", long.MinValue)]
    public void Integers_at_the_edges_decode(string text, long expected)
    {
        Assert.True(Decode(text, out var value, out _));
        Assert.Equal(expected, value.Integer);
    }

    [Fact]
    public void Deep_nesting_is_refused_at_the_depth_limit_without_recursing_further()
    {
        var deep = new string('l', 100_000) + new string('e', 100_000);
        Assert.False(Decode(deep, out _, out var error));
        Assert.Equal(BencodeErrorKind.TooDeep, error.Kind);
        Assert.Equal(Roomy.MaxDepth, error.Offset);

        var defaults = BencodeLimits.Default;
        var justDeepEnough = new string('l', defaults.MaxDepth) + new string('e', defaults.MaxDepth);
        Assert.True(BencodeDecoder.TryDecode(Encoding.ASCII.GetBytes(justDeepEnough), out _, out _));
        var tooDeep = new string('l', defaults.MaxDepth + 1) + new string('e', defaults.MaxDepth + 1);
        Assert.False(BencodeDecoder.TryDecode(Encoding.ASCII.GetBytes(tooDeep), out _, out _));
    }

    [Fact]
    public void Oversized_input_and_too_many_values_are_refused()
    {
        Assert.False(BencodeDecoder.TryDecode(new byte[BencodeLimits.DefaultMaxInputBytes + 1], out _, out var error));
        Assert.Equal(BencodeErrorKind.InputTooLarge, error.Kind);

        var many = "l" + string.Concat(Enumerable.Repeat("i1e", 400)) + "e";
        Assert.False(BencodeDecoder.TryDecode(Encoding.ASCII.GetBytes(many), out _, out error));
        Assert.Equal(BencodeErrorKind.TooManyValues, error.Kind);
    }

    [Fact]
    public void A_huge_length_field_allocates_nothing_in_proportion_to_it()
    {
        var hostile = Encoding.ASCII.GetBytes("l999999999:abc");
        BencodeDecoder.TryDecode(hostile, Roomy, out _, out _); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(BencodeDecoder.TryDecode(hostile, Roomy, out _, out var error));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(BencodeErrorKind.StringTooLong, error.Kind);
        Assert.True(allocated < 4096, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Byte_strings_are_slices_of_the_input_not_copies()
    {
        var input = Encoding.ASCII.GetBytes("d3:key5:valuee");
        Assert.True(BencodeDecoder.TryDecode(input, out var value, out _));
        Assert.True(value.TryGetBytes("key"u8, out var bytes));
        input[8] = (byte)'V';
        Assert.Equal("Value", Encoding.ASCII.GetString(bytes.Span));
    }

    [Fact]
    public void The_encoder_sorts_dictionary_keys_as_raw_bytes()
    {
        var value = BValue.FromDictionary(("zeta", BValue.FromInteger(1)), ("alpha", BValue.FromString("x")), ("Beta", BValue.FromList([])));
        Assert.Equal("d4:Betale5:alpha1:x4:zetai1ee", Encoding.ASCII.GetString(BencodeEncoder.Encode(value)));
    }
}
