using System.Security.Cryptography;
using CsCheck;
using Shoal.Core.Integrity;

namespace Shoal.Core.Tests.Integrity;

public sealed class Sha256MultiBufferTests
{
    [Fact]
    public void Each_AVX512_lane_equals_SHA256_HashData()
    {
        if (!Sha256MultiBuffer.IsWideSupported)
        {
            Assert.Skip("This CPU has no AVX-512: the 16-lane SHA-256 is not used here.");
        }

        EachLaneMatches(16, Sha256MultiBuffer.HashWide);
    }

    [Fact]
    public void Each_AVX2_lane_equals_SHA256_HashData()
    {
        if (!Sha256MultiBuffer.IsNarrowSupported)
        {
            Assert.Skip("This CPU has no AVX2: the 8-lane SHA-256 is not used here.");
        }

        EachLaneMatches(8, Sha256MultiBuffer.HashNarrow);
    }

    private delegate void BatchHash(ReadOnlySpan<byte> data, int stride, int count, int messageLength, Span<byte> destination, int destinationStride);

    private static void EachLaneMatches(int lanes, BatchHash hash)
    {
        Gen.Select(Gen.Int[1, lanes], Gen.Bool, Gen.Int[0, 100]).SelectMany((count, leaves, gap) =>
        {
            var length = leaves ? 1024 : 64;
            var stride = length + gap;
            return Gen.Byte.Array[((count - 1) * stride) + length].Select(data => (count, length, stride, data));
        }).Sample(c =>
        {
            var output = new byte[c.count * 40];
            hash(c.data, c.stride, c.count, c.length, output, 40);
            for (var lane = 0; lane < c.count; lane++)
            {
                Assert.Equal(SHA256.HashData(c.data.AsSpan(lane * c.stride, c.length)), output.AsSpan(lane * 40, 32).ToArray());
            }
        }, iter: 200);
    }

    [Fact]
    public void Leaves_and_layers_match_one_at_a_time_hashing()
    {
        Gen.Int[0, 100 * 1024].SelectMany(n => Gen.Byte.Array[n]).Sample(content =>
        {
            var chunks = (content.Length + 1023) / 1024;
            var leaves = new byte[chunks * 32];
            MerkleHash.HashLeaves(MerkleHashFunction.Sha256, content, leaves);
            for (var i = 0; i < chunks; i++)
            {
                var chunk = content.AsSpan(i * 1024, Math.Min(1024, content.Length - (i * 1024)));
                Assert.Equal(SHA256.HashData(chunk), leaves.AsSpan(i * 32, 32).ToArray());
            }

            var parents = new byte[((chunks + 1) / 2) * 32];
            var count = MerkleHash.HashLayer(MerkleHashFunction.Sha256, leaves, chunks, parents);
            Assert.Equal((chunks + 1) / 2, count);
            for (var p = 0; p < count; p++)
            {
                var right = (2 * p) + 1 < chunks ? leaves.AsSpan(((2 * p) + 1) * 32, 32).ToArray() : new byte[32];
                Assert.Equal(SHA256.HashData([.. leaves.AsSpan(2 * p * 32, 32), .. right]), parents.AsSpan(p * 32, 32).ToArray());
            }
        }, iter: 40);
    }
}
