using System.Security.Cryptography;
using CsCheck;
using Shoal.Core.Content;
using Shoal.Core.Integrity;

namespace Shoal.Core.Tests.Integrity;

public sealed class MerkleTests
{
    private static readonly Gen<byte[]> Segment = Gen.Int[0, 40 * 1024].SelectMany(n => Gen.Byte.Array[n]);

    [Fact]
    public void Segment_root_matches_the_naive_RFC_definition_for_SHA256_and_SHA1()
    {
        Segment.Sample(content =>
        {
            Assert.Equal(ReferenceMerkle.Root(content, SHA256.HashData, 32), MerkleHash.SegmentRoot(MerkleHashFunction.Sha256, content).ToArray());
            Assert.Equal(ReferenceMerkle.Root(content, SHA1.HashData, 20), MerkleHash.SegmentRoot(MerkleHashFunction.Sha1, content).ToArray());
            Assert.Equal(MerkleHash.SegmentRoot(MerkleHashFunction.Sha256, content), MerkleTree.Build(MerkleHashFunction.Sha256, content).Root);
        }, iter: 60);
    }

    [Fact]
    public void One_chunk_root_is_the_hash_of_the_chunk_and_empty_root_is_zeros()
    {
        byte[] one = [42];
        Assert.Equal(SHA256.HashData(one), MerkleHash.SegmentRoot(MerkleHashFunction.Sha256, one).ToArray());
        Assert.True(MerkleHash.SegmentRoot(MerkleHashFunction.Sha256, []).IsZero);
        Assert.Equal(32, MerkleHash.SegmentRoot(MerkleHashFunction.Sha256, []).Length);
    }

    [Fact]
    public void Every_piece_verifies_from_its_bytes_and_uncles_alone()
    {
        Gen.Select(Segment, Gen.Int[0, 3]).Sample((content, pieceShift) =>
        {
            var layout = new SegmentLayout(content.Length, ChunkAddressing.ChunkSize << pieceShift);
            var tree = MerkleTree.Build(MerkleHashFunction.Sha256, content);
            for (var piece = 0; piece < layout.PieceCount; piece++)
            {
                var bytes = content.AsSpan((int)layout.PieceOffset(piece), layout.PieceLength(piece));
                var uncles = tree.UnclesForPiece(layout, piece);
                Assert.True(MerkleVerifier.TryVerifyPiece(MerkleHashFunction.Sha256, tree.Root, layout, piece, bytes, uncles, out var error), error);
            }
        }, iter: 40);
    }

    [Fact]
    public void Any_chunk_range_verifies_with_its_uncles()
    {
        var gen = Gen.Int[1, 40 * 1024].SelectMany(n => Gen.Select(Gen.Byte.Array[n], Gen.Int[0, (n - 1) / 1024], Gen.Int[0, (n - 1) / 1024]));
        gen.Sample((content, a, b) =>
        {
            var (first, last) = (Math.Min(a, b), Math.Max(a, b));
            var tree = MerkleTree.Build(MerkleHashFunction.Sha1, content);
            var start = first * 1024;
            var data = content.AsSpan(start, Math.Min(content.Length, (last + 1) * 1024) - start);
            var uncles = tree.UnclesForChunks(first, last);
            Assert.True(MerkleVerifier.TryVerifyChunks(MerkleHashFunction.Sha1, tree.Root, content.Length, first, data, uncles, out var error), error);
            Assert.All(uncles, u => Assert.True(u.Bin.LastChunk < first || u.Bin.FirstChunk > last));
        }, iter: 60);
    }

    [Fact]
    public void A_single_flipped_bit_in_a_piece_or_an_uncle_is_detected()
    {
        var gen = Gen.Int[1, 64 * 1024].SelectMany(n => Gen.Select(Gen.Byte.Array[n], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]));
        gen.Sample((content, pieceSeed, bitSeed) =>
        {
            var layout = new SegmentLayout(content.Length);
            var tree = MerkleTree.Build(MerkleHashFunction.Sha256, content);
            var piece = pieceSeed % layout.PieceCount;
            var bytes = content.AsSpan((int)layout.PieceOffset(piece), layout.PieceLength(piece)).ToArray();
            var uncles = tree.UnclesForPiece(layout, piece).ToList();

            var bit = bitSeed % (bytes.Length * 8);
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(MerkleVerifier.TryVerifyPiece(MerkleHashFunction.Sha256, tree.Root, layout, piece, bytes, uncles, out _));
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));

            if (uncles.Count > 0)
            {
                var which = bitSeed % uncles.Count;
                var hash = uncles[which].Hash.ToArray();
                hash[bitSeed % hash.Length] ^= 1;
                uncles[which] = uncles[which] with { Hash = new Digest(hash) };
                Assert.False(MerkleVerifier.TryVerifyPiece(MerkleHashFunction.Sha256, tree.Root, layout, piece, bytes, uncles, out var error));
                Assert.Contains("do not match", error, StringComparison.Ordinal);
            }
        }, iter: 60);
    }

    [Fact]
    public void Missing_uncle_and_wrong_length_are_refused_with_a_reason()
    {
        var content = new byte[5 * 16 * 1024 + 100];
        new Random(7).NextBytes(content);
        var layout = new SegmentLayout(content.Length);
        var tree = MerkleTree.Build(MerkleHashFunction.Sha256, content);
        var bytes = content.AsSpan(0, 16 * 1024).ToArray();

        Assert.False(MerkleVerifier.TryVerifyPiece(MerkleHashFunction.Sha256, tree.Root, layout, 0, bytes, [], out var error));
        Assert.Contains("missing", error, StringComparison.Ordinal);

        Assert.False(MerkleVerifier.TryVerifyPiece(MerkleHashFunction.Sha256, tree.Root, layout, 0, bytes.AsSpan(1), tree.UnclesForPiece(layout, 0), out error));
        Assert.Contains("16384 bytes long", error, StringComparison.Ordinal);

        Assert.False(MerkleVerifier.TryVerifyPiece(MerkleHashFunction.Sha256, tree.Root, layout, 9, bytes, [], out error));
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Last_short_piece_needs_no_uncle_for_padding()
    {
        // 5 full pieces + 100 bytes: 81 chunks, a tree of 128 leaves; the right half past chunk 80 is padding.
        var content = new byte[5 * 16 * 1024 + 100];
        var layout = new SegmentLayout(content.Length);
        var tree = MerkleTree.Build(MerkleHashFunction.Sha256, content);
        var uncles = tree.UnclesForPiece(layout, 5);
        Assert.All(uncles, u => Assert.True(u.Bin.FirstChunk < 80));
        Assert.True(MerkleVerifier.TryVerifyPiece(MerkleHashFunction.Sha256, tree.Root, layout, 5, content.AsSpan(80 * 1024), uncles, out var error), error);
    }
}
