using BenchmarkDotNet.Attributes;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Benchmarks;

/// <summary>Decoding and checking the Ed25519 signature of a signed manifest, live-window sized and VOD sized.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ManifestVerificationBenchmarks
{
    private byte[] _signed = [];
    private PublicSigningKey _publisher = null!;

    [Params(60, 2000)]
    public int Segments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var key = SigningKeyPair.Generate();
        _publisher = key.PublicKey;
        var segments = Enumerable.Range(0, Segments).Select(i =>
            new SegmentEntry(i, $"seg_{i:D5}.ts", null, 1_500_000 + i, TimeSpan.FromSeconds(6), Digest.Sha256(BitConverter.GetBytes(i))));
        var manifest = new Manifest(Rid.ForUrl("https://cdn.example/vod/index.m3u8"), ResourceKind.HlsVod, segments);
        _signed = SignedManifest.Sign(manifest, key).Bytes.ToArray();
    }

    [Benchmark(Description = "Verify signed manifest")]
    public bool Verify() => SignedManifest.TryDecode(_signed, _publisher, out _, out _);
}
