using Shoal.Core.Availability;
using Shoal.Core.Content;
using Shoal.Core.Integrity;

namespace Shoal.Engine.Storage;

/// <summary>
/// One segment's bytes and what is known to be authentic about them. Nothing leaves it unverified: a piece from a
/// peer is checked on arrival with the uncle hashes the peer sent (RFC 7574 §5.5, <see cref="MerkleVerifier"/>);
/// origin bytes wait as "pending" until the segment's Merkle tree can be completed from them, the verified pieces and
/// the verified hashes already known, and the result matches the manifest's root (or a verified inner hash). The
/// verified hashes are kept, so the node can send any verified piece on with its uncles.
/// </summary>
internal sealed class SegmentStore
{
    private readonly MerkleHashFunction _function;
    private readonly int _hashSize;
    private readonly int _pieceLayer;
    private readonly long _chunkCount;
    private readonly Bin _root;
    private readonly Dictionary<ulong, byte[]> _known = [];
    private byte[]? _data;

    public SegmentStore(long sequence, SegmentLayout layout, MerkleHashFunction function, Digest root)
    {
        Sequence = sequence;
        Layout = layout;
        Root = root;
        _function = function;
        _hashSize = MerkleHash.Size(function);
        _pieceLayer = System.Numerics.BitOperations.Log2((uint)layout.ChunksPerPiece);
        _chunkCount = layout.ChunkCount;
        _root = Bin.FromLayerOffset(MerkleHash.RootLayer(layout.Length), 0);
        _known[_root.Value] = root.ToArray();
        Verified = new PieceBitmap(layout.PieceCount);
        Pending = new PieceBitmap(layout.PieceCount);
    }

    public long Sequence { get; }

    public SegmentLayout Layout { get; }

    public Digest Root { get; }

    /// <summary>Pieces checked against the root: the only ones given to the player or uploaded.</summary>
    public PieceBitmap Verified { get; }

    /// <summary>Origin pieces waiting for enough of the tree to be checked.</summary>
    public PieceBitmap Pending { get; }

    public bool IsComplete => Verified.IsComplete;

    /// <summary>Whether the hash of a node of the segment's tree is verified here.</summary>
    public bool Knows(Bin bin) => _known.ContainsKey(bin.Value);

    /// <summary>The bytes of a verified piece (empty if it is not verified).</summary>
    public ReadOnlyMemory<byte> Piece(int index) =>
        Verified[index] ? _data.AsMemory((int)Layout.PieceOffset(index), Layout.PieceLength(index)) : ReadOnlyMemory<byte>.Empty;

    /// <summary>The whole segment once every piece is verified, else empty.</summary>
    public ReadOnlyMemory<byte> Bytes => IsComplete ? _data.AsMemory(0, (int)Layout.Length) : ReadOnlyMemory<byte>.Empty;

    /// <summary>
    /// A piece from a peer with the uncle hashes it sent, checked against the root at once: every uncle on the piece's
    /// path comes from the peer or, failing that, from the verified hashes already known here.
    /// </summary>
    public PieceCheck AddPeerPiece(int index, ReadOnlySpan<byte> piece, IReadOnlyDictionary<Bin, Digest> provided, out string error)
    {
        error = string.Empty;
        if (Verified[index]) return PieceCheck.Verified;
        var uncles = new List<UncleHash>();
        for (var bin = Layout.PieceBin(index); bin.Layer < _root.Layer; bin = bin.Parent)
        {
            var sibling = bin.Sibling;
            if (sibling.FirstChunk >= _chunkCount) continue;
            if (provided.TryGetValue(sibling, out var hash)) uncles.Add(new UncleHash(sibling, hash));
            else if (_known.TryGetValue(sibling.Value, out var known)) uncles.Add(new UncleHash(sibling, new Digest(known)));
            else
            {
                error = $"The uncle hash for chunks {sibling.FirstChunk}..{sibling.LastChunk} did not arrive.";
                return PieceCheck.Unverifiable;
            }
        }
        return TryAddPeerPiece(index, piece, uncles, out error) ? PieceCheck.Verified : PieceCheck.Corrupt;
    }

    /// <summary>
    /// A piece from a peer with the uncle hashes it sent: verified against the root at once. False (and nothing kept)
    /// when it does not match: the sender lied.
    /// </summary>
    public bool TryAddPeerPiece(int index, ReadOnlySpan<byte> piece, IReadOnlyList<UncleHash> uncles, out string error)
    {
        if (Verified[index])
        {
            error = string.Empty;
            return true;
        }
        if (!MerkleVerifier.TryVerifyPiece(_function, Root, Layout, index, piece, uncles, out error)) return false;
        piece.CopyTo(Data().AsSpan((int)Layout.PieceOffset(index)));
        Verified[index] = true;
        Pending[index] = false;
        // The uncles climbed to the root with this piece: they are authentic now, and let us serve it on.
        foreach (var uncle in uncles)
            if (uncle.Hash.Length == _hashSize && _root.Contains(uncle.Bin)) _known.TryAdd(uncle.Bin.Value, uncle.Hash.ToArray());
        return true;
    }

    /// <summary>
    /// The pieces to fetch from the origin so that <paramref name="wanted"/> can be verified once they arrive: the
    /// wanted ones plus every unverified piece under each uncle on their paths whose hash is not known yet.
    /// </summary>
    public SortedSet<int> PiecesNeededToVerify(IEnumerable<int> wanted)
    {
        var needed = new SortedSet<int>(wanted.Where(p => (uint)p < (uint)Layout.PieceCount && !Verified[p]));
        var queue = new Queue<int>(needed);
        while (queue.TryDequeue(out var piece))
        {
            for (var bin = Layout.PieceBin(piece); bin.Layer < _root.Layer; bin = bin.Parent)
            {
                var sibling = bin.Sibling;
                var contentLast = Math.Min(sibling.LastChunk, _chunkCount - 1);
                if (sibling.FirstChunk > contentLast) continue;
                var first = (int)(sibling.FirstChunk >> _pieceLayer);
                var last = (int)(contentLast >> _pieceLayer);
                if (Covered(first, last, needed) || Hash(sibling, includePending: false, [], []) is not null) continue;
                for (var p = first; p <= last; p++)
                    if (!Verified[p] && !Pending[p] && needed.Add(p)) queue.Enqueue(p);
            }
        }
        return needed;
    }

    private bool Covered(int first, int last, SortedSet<int> needed)
    {
        for (var p = first; p <= last; p++)
            if (!Verified[p] && !Pending[p] && !needed.Contains(p)) return false;
        return true;
    }

    /// <summary>
    /// Bytes from the origin at a piece-aligned offset: kept as pending, then as many pending pieces as the tree allows
    /// are verified. Returns the pieces that became verified; <paramref name="rejected"/> lists pending pieces whose
    /// bytes contradicted a verified hash (discarded).
    /// </summary>
    public List<int> AddOriginBytes(long offset, ReadOnlySpan<byte> bytes, out List<int> rejected)
    {
        rejected = [];
        if (offset % Layout.PieceSize != 0 || offset < 0 || offset + bytes.Length > Layout.Length)
            return [];
        var first = (int)(offset / Layout.PieceSize);
        for (var i = first; i < Layout.PieceCount; i++)
        {
            var start = Layout.PieceOffset(i) - offset;
            var length = Layout.PieceLength(i);
            if (start + length > bytes.Length) break;
            if (Verified[i]) continue;
            bytes.Slice((int)start, length).CopyTo(Data().AsSpan((int)Layout.PieceOffset(i)));
            Pending[i] = true;
        }
        return VerifyPending(rejected);
    }

    /// <summary>Tries the pending origin pieces again (after a peer piece brought more of the tree); returns those verified.</summary>
    public List<int> RetryPending(out List<int> rejected)
    {
        rejected = [];
        return VerifyPending(rejected);
    }

    /// <summary>The uncle hashes a receiver needs to verify piece <paramref name="index"/>, or null if we cannot prove it yet.</summary>
    public IReadOnlyList<UncleHash>? UnclesFor(int index)
    {
        if (!Verified[index]) return null;
        var uncles = new List<UncleHash>();
        var scratch = new List<int>();
        for (var bin = Layout.PieceBin(index); bin.Layer < _root.Layer; bin = bin.Parent)
        {
            var hash = Hash(bin.Sibling, includePending: false, scratch, []);
            if (hash is null) return null;
            uncles.Add(new UncleHash(bin.Sibling, new Digest(hash)));
        }
        return uncles;
    }

    private List<int> VerifyPending(List<int> rejected)
    {
        if (Pending.IsEmpty) return [];
        var before = Verified.Clone();
        var used = new List<int>();
        Hash(_root, includePending: true, used, rejected);
        foreach (var bad in rejected) Pending[bad] = false;
        var newlyVerified = new List<int>();
        for (var i = Verified.FirstSet(); i >= 0; i = Verified.FirstSet(i + 1))
            if (!before[i]) newlyVerified.Add(i);
        return newlyVerified;
    }

    /// <summary>
    /// The hash of a node of the segment's tree from what is known: a verified hash, or verified (and, when asked,
    /// pending) bytes below it. Whenever a node's hash is verified and its subtree used pending pieces, the computed
    /// hash is compared with it: equal verifies those pieces, different rejects them.
    /// </summary>
    private byte[]? Hash(Bin bin, bool includePending, List<int> used, List<int> rejected)
    {
        var contentLast = Math.Min(bin.LastChunk, _chunkCount - 1);
        if (bin.FirstChunk > contentLast) return new byte[_hashSize];
        var firstPiece = (int)(bin.FirstChunk >> _pieceLayer);
        var lastPiece = (int)(contentLast >> _pieceLayer);
        var pendingBelow = includePending && AnySet(Pending, firstPiece, lastPiece);
        _known.TryGetValue(bin.Value, out var known);
        if (known is not null && !pendingBelow) return known;

        byte[]? computed;
        var mark = used.Count;
        if (bin.Layer <= _pieceLayer || AllSet(Verified, firstPiece, lastPiece))
        {
            if (!AllAvailable(firstPiece, lastPiece, includePending)) return known;
            computed = new byte[_hashSize];
            var start = bin.FirstChunk * ChunkAddressing.ChunkSize;
            var end = Math.Min((contentLast + 1) * ChunkAddressing.ChunkSize, Layout.Length);
            MerkleHash.SubtreeRoot(_function, _data.AsSpan((int)start, (int)(end - start)), bin.Layer, computed);
            for (var p = firstPiece; p <= lastPiece; p++)
                if (!Verified[p]) used.Add(p);
        }
        else
        {
            var left = Hash(bin.Left, includePending, used, rejected);
            var right = left is null ? null : Hash(bin.Right, includePending, used, rejected);
            if (left is null || right is null)
            {
                used.RemoveRange(mark, used.Count - mark);
                return known;
            }
            computed = new byte[_hashSize];
            MerkleHash.HashParent(_function, left, right, computed);
        }

        var usedHere = used.Count - mark;
        if (known is not null)
        {
            var below = used.GetRange(mark, usedHere);
            used.RemoveRange(mark, usedHere);
            if (computed.AsSpan().SequenceEqual(known))
                foreach (var p in below) Verified[p] = true;
            else
                rejected.AddRange(below);
            foreach (var p in below) Pending[p] = false;
            return known;
        }
        if (usedHere == 0) _known[bin.Value] = computed;
        return computed;
    }

    private bool AllAvailable(int first, int last, bool includePending)
    {
        for (var p = first; p <= last; p++)
            if (!Verified[p] && !(includePending && Pending[p])) return false;
        return true;
    }

    private static bool AllSet(PieceBitmap bitmap, int first, int last)
    {
        for (var p = first; p <= last; p++)
            if (!bitmap[p]) return false;
        return true;
    }

    private static bool AnySet(PieceBitmap bitmap, int first, int last)
    {
        var next = bitmap.FirstSet(first);
        return next >= 0 && next <= last;
    }

    private byte[] Data() => _data ??= new byte[Layout.Length];
}
