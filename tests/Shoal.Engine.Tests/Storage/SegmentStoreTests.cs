using Shoal.Core.Content;
using Shoal.Core.Integrity;
using Shoal.Engine.Storage;

namespace Shoal.Engine.Tests.Storage;

public sealed class SegmentStoreTests
{
    private const int PieceSize = 4 * ChunkAddressing.ChunkSize;
    private static readonly MerkleHashFunction Sha256 = MerkleHashFunction.Sha256;

    private static (byte[] Bytes, MerkleTree Tree, SegmentLayout Layout) Segment(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return (bytes, MerkleTree.Build(Sha256, bytes), new SegmentLayout(length, PieceSize));
    }

    private static ReadOnlySpan<byte> PieceOf(byte[] bytes, SegmentLayout layout, int i) =>
        bytes.AsSpan((int)layout.PieceOffset(i), layout.PieceLength(i));

    [Fact]
    public void A_peer_piece_with_its_uncles_is_verified_and_can_be_sent_on_with_the_same_uncles()
    {
        var (bytes, tree, layout) = Segment(37_000);
        var store = new SegmentStore(5, layout, Sha256, tree.Root);
        var uncles = tree.UnclesForPiece(layout, 3);
        Assert.True(store.TryAddPeerPiece(3, PieceOf(bytes, layout, 3), uncles, out var error), error);
        Assert.True(store.Verified[3]);
        Assert.True(store.Piece(3).Span.SequenceEqual(PieceOf(bytes, layout, 3)));
        var resent = store.UnclesFor(3);
        Assert.NotNull(resent);
        Assert.Equal(uncles.Select(u => (u.Bin, u.Hash)), resent.Select(u => (u.Bin, u.Hash)));
    }

    [Fact]
    public void A_corrupt_peer_piece_is_refused_and_nothing_is_kept()
    {
        var (bytes, tree, layout) = Segment(37_000);
        var store = new SegmentStore(5, layout, Sha256, tree.Root);
        var bad = PieceOf(bytes, layout, 1).ToArray();
        bad[100] ^= 1;
        Assert.False(store.TryAddPeerPiece(1, bad, tree.UnclesForPiece(layout, 1), out _));
        Assert.False(store.Verified[1]);
        Assert.True(store.Piece(1).IsEmpty);
        Assert.Null(store.UnclesFor(1));
    }

    [Fact]
    public void Origin_bytes_wait_until_the_tree_can_check_them()
    {
        var (bytes, tree, layout) = Segment(37_000);
        var store = new SegmentStore(5, layout, Sha256, tree.Root);
        // Pieces 0..1 alone cannot reach the root: they stay pending.
        Assert.Empty(store.AddOriginBytes(0, bytes.AsSpan(0, 2 * PieceSize), out var rejected));
        Assert.Empty(rejected);
        Assert.True(store.Pending[0]);
        Assert.True(store.Piece(0).IsEmpty);
        // The rest of the segment completes the tree: everything verifies.
        var verified = store.AddOriginBytes(2 * PieceSize, bytes.AsSpan(2 * PieceSize), out rejected);
        Assert.Empty(rejected);
        Assert.Equal(Enumerable.Range(0, layout.PieceCount), verified.Order());
        Assert.True(store.IsComplete);
        Assert.True(store.Bytes.Span.SequenceEqual(bytes));
        Assert.Equal(tree.UnclesForPiece(layout, 7).Select(u => u.Hash), store.UnclesFor(7)!.Select(u => u.Hash));
    }

    [Fact]
    public void Origin_bytes_next_to_a_verified_peer_piece_verify_through_its_uncles()
    {
        var (bytes, tree, layout) = Segment(64 * 1024);
        var store = new SegmentStore(5, layout, Sha256, tree.Root);
        Assert.True(store.TryAddPeerPiece(0, PieceOf(bytes, layout, 0), tree.UnclesForPiece(layout, 0), out _));
        // Piece 0's uncles are piece 1 and the subtrees 2-3, 4-7, 8-15: piece 1 alone now verifies.
        var verified = store.AddOriginBytes(PieceSize, PieceOf(bytes, layout, 1), out var rejected);
        Assert.Equal([1], verified);
        Assert.Empty(rejected);
    }

    [Fact]
    public void Corrupt_origin_bytes_are_rejected_against_a_verified_hash()
    {
        var (bytes, tree, layout) = Segment(64 * 1024);
        var store = new SegmentStore(5, layout, Sha256, tree.Root);
        store.TryAddPeerPiece(0, PieceOf(bytes, layout, 0), tree.UnclesForPiece(layout, 0), out _);
        var bad = PieceOf(bytes, layout, 1).ToArray();
        bad[0] ^= 0xFF;
        var verified = store.AddOriginBytes(PieceSize, bad, out var rejected);
        Assert.Empty(verified);
        Assert.Equal([1], rejected);
        Assert.False(store.Pending[1]);
        Assert.False(store.Verified[1]);
    }

    [Fact]
    public void A_segment_smaller_than_one_piece_is_its_own_root()
    {
        var (bytes, tree, layout) = Segment(1500);
        var store = new SegmentStore(0, layout, Sha256, tree.Root);
        Assert.Equal([0], store.AddOriginBytes(0, bytes, out _));
        Assert.Empty(store.UnclesFor(0)!);
    }
}
