using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Shoal.Core.Content;
using Shoal.Core.Integrity;

namespace Shoal.Benchmarks;

/// <summary>Verifying one received 16 KiB piece of a 4 MiB segment from its bytes and uncle hashes, against hashing it bare.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PieceVerificationBenchmarks
{
    private readonly byte[] _hash = new byte[SHA256.HashSizeInBytes];
    private byte[] _piece = [];
    private SegmentLayout _layout;
    private Digest _root;
    private IReadOnlyList<UncleHash> _uncles = [];
    private const int PieceIndex = 77;

    [GlobalSetup]
    public void Setup()
    {
        var segment = new byte[4 * 1024 * 1024];
        new Random(42).NextBytes(segment);
        _layout = new SegmentLayout(segment.Length);
        var tree = MerkleTree.Build(MerkleHashFunction.Sha256, segment);
        _root = tree.Root;
        _uncles = tree.UnclesForPiece(_layout, PieceIndex);
        _piece = segment.AsSpan((int)_layout.PieceOffset(PieceIndex), _layout.PieceLength(PieceIndex)).ToArray();
    }

    [Benchmark(Baseline = true, Description = "SHA256.HashData (bare, 16 KiB)")]
    public void BareSha256() => SHA256.HashData(_piece, _hash);

    [Benchmark(Description = "Shoal verify piece + uncles")]
    public bool VerifyPiece() => MerkleVerifier.TryVerifyPiece(MerkleHashFunction.Sha256, _root, _layout, PieceIndex, _piece, _uncles, out _);
}
