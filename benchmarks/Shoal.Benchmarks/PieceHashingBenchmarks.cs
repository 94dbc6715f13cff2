using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Shoal.Core.Content;
using Shoal.Core.Integrity;

namespace Shoal.Benchmarks;

/// <summary>
/// Shoal's Merkle hashing of a piece (16 KiB) or a whole segment (4 MiB) against one bare SHA-256 over the same
/// bytes, measured in the same run. The Merkle tree costs more by construction: every 1 KiB leaf pays SHA-256's
/// padding block (17 compressions instead of 16) and each inner node hashes 64 bytes (2 compressions), so the
/// best possible ratio for one-message-at-a-time SHA-256 is 16/19 ≈ 0.84 before any call overhead. Shoal hashes 16
/// (AVX-512) or 8 (AVX2) leaves side by side instead. On a shared machine compare the Min columns: the least
/// disturbed run of each.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PieceHashingBenchmarks
{
    private byte[] _content = [];
    private byte[] _hash = new byte[SHA256.HashSizeInBytes];
    private int _layer;

    [Params(16 * 1024, 4 * 1024 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _content = new byte[Bytes];
        new Random(42).NextBytes(_content);
        _layer = MerkleHash.RootLayer(Bytes);
        _hash = new byte[SHA256.HashSizeInBytes];
    }

    [Benchmark(Baseline = true, Description = "SHA256.HashData (bare)")]
    public void BareSha256() => SHA256.HashData(_content, _hash);

    [Benchmark(Description = "Shoal Merkle root (SHA-256)")]
    public void MerkleRoot() => MerkleHash.SubtreeRoot(MerkleHashFunction.Sha256, _content, _layer, _hash);
}
