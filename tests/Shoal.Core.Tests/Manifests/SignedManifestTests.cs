using CsCheck;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Core.Tests.Manifests;

public sealed class SignedManifestTests
{
    [Fact]
    public void Signed_manifest_round_trips_under_the_trusted_key()
    {
        using var key = SigningKeyPair.Generate();
        ManifestGen.Manifest.Sample(manifest =>
        {
            var signed = SignedManifest.Sign(manifest, key);
            Assert.True(SignedManifest.TryDecode(signed.Bytes, key.PublicKey, out var decoded, out var error), error);
            Assert.Equal(manifest.Segments, decoded.Manifest.Segments);
            Assert.Equal(signed.Digest, decoded.Digest);
        }, iter: 50);
    }

    [Fact]
    public void Any_single_flipped_bit_of_a_signed_manifest_is_detected()
    {
        using var key = SigningKeyPair.Generate();
        ManifestGen.Manifest.SelectMany(m => Gen.Int[0, int.MaxValue].Select(bit => (m, bit))).Sample(pair =>
        {
            var bytes = SignedManifest.Sign(pair.m, key).Bytes.ToArray();
            var bit = pair.bit % (bytes.Length * 8);
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SignedManifest.TryDecode(bytes, key.PublicKey, out _, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        }, iter: 200);
    }

    [Fact]
    public void Every_bit_of_the_signature_and_body_of_one_manifest_is_covered()
    {
        using var key = SigningKeyPair.Generate();
        var manifest = new Manifest(ManifestGen.Fixed, ResourceKind.File, [new SegmentEntry(0, "f", 0, 5000, null, Digest.Sha256([1]))]);
        var bytes = SignedManifest.Sign(manifest, key).Bytes.ToArray();
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SignedManifest.TryDecode(bytes, key.PublicKey, out _, out _), $"bit {bit} flipped went unnoticed");
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.True(SignedManifest.TryDecode(bytes, key.PublicKey, out _, out _));
    }

    [Fact]
    public void Another_key_is_not_trusted()
    {
        using var key = SigningKeyPair.Generate();
        using var other = SigningKeyPair.Generate();
        var manifest = new Manifest(ManifestGen.Fixed, ResourceKind.File, []);
        var signed = SignedManifest.Sign(manifest, other);
        Assert.True(SignedManifest.TryDecode(signed.Bytes, out _, out _));
        Assert.False(SignedManifest.TryDecode(signed.Bytes, key.PublicKey, out _, out var error));
        Assert.Contains("not by the trusted key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Private_key_export_import_keeps_the_identity()
    {
        using var key = SigningKeyPair.Generate();
        var exported = key.ExportPrivateKey();
        Assert.Equal(SigningKeyPair.PrivateKeyLength, exported.Length);
        Assert.True(SigningKeyPair.TryImportPrivateKey(exported, out var imported, out var error), error);
        using (imported)
        {
            Assert.Equal(key.PublicKey, imported.PublicKey);
            var signature = imported.Sign("hello"u8);
            Assert.True(key.PublicKey.Verify("hello"u8, signature));
            Assert.False(key.PublicKey.Verify("hellO"u8, signature));
        }

        Assert.False(SigningKeyPair.TryImportPrivateKey(new byte[31], out _, out error));
        Assert.Contains("32 bytes", error, StringComparison.Ordinal);
        Assert.True(PublicSigningKey.TryParse(key.PublicKey.ToString(), out var parsed, out error), error);
        Assert.Equal(key.PublicKey, parsed);
        Assert.False(PublicSigningKey.TryParse("zz", out _, out error));
    }
}
