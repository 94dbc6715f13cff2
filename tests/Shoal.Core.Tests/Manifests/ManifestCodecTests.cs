using CsCheck;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Core.Tests.Manifests;

public sealed class ManifestCodecTests
{
    [Fact]
    public void Encode_decode_round_trips_and_re_encodes_to_the_same_bytes()
    {
        ManifestGen.Manifest.Sample(manifest =>
        {
            var bytes = ManifestCodec.Encode(manifest);
            Assert.True(ManifestCodec.TryDecode(bytes, out var decoded, out var error), error);
            Assert.Equal(manifest.Rid, decoded.Rid);
            Assert.Equal(manifest.Kind, decoded.Kind);
            Assert.Equal(manifest.PieceSize, decoded.PieceSize);
            Assert.Equal(manifest.HashFunction, decoded.HashFunction);
            Assert.Equal(manifest.UpdateNumber, decoded.UpdateNumber);
            Assert.Equal(manifest.Segments, decoded.Segments);
            Assert.Equal(bytes, ManifestCodec.Encode(decoded));
        });
    }

    [Fact]
    public void Decoder_never_throws_on_truncated_or_random_bytes()
    {
        ManifestGen.Manifest.SelectMany(m => Gen.Int[0, ManifestCodec.Encode(m).Length - 1].Select(cut => (m, cut))).Sample(pair =>
        {
            var bytes = ManifestCodec.Encode(pair.m);
            Assert.False(ManifestCodec.TryDecode(bytes.AsSpan(0, pair.cut), out _, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        });
        Gen.Byte.Array[0, 400].Sample(bytes => { ManifestCodec.TryDecode(bytes, out _, out _); });
    }

    [Fact]
    public void Decoder_gives_clear_reasons()
    {
        var manifest = new Manifest(ManifestGen.Fixed, ResourceKind.File, [new SegmentEntry(0, "a", 0, 10, null, Digest.Sha256([1]))]);
        var bytes = ManifestCodec.Encode(manifest);

        var badVersion = (byte[])bytes.Clone();
        badVersion[4] = 9;
        Assert.False(ManifestCodec.TryDecode(badVersion, out _, out var error));
        Assert.Contains("version 9", error, StringComparison.Ordinal);

        var trailing = bytes.Concat(new byte[] { 0 }).ToArray();
        Assert.False(ManifestCodec.TryDecode(trailing, out _, out error));
        Assert.Contains("follow the last segment", error, StringComparison.Ordinal);

        var hugeCount = (byte[])bytes.Clone();
        hugeCount.AsSpan(76, 4).Fill(0xFF);
        Assert.False(ManifestCodec.TryDecode(hugeCount, out _, out error));
        Assert.Contains("claims 4294967295 segments", error, StringComparison.Ordinal);

        Assert.False(ManifestCodec.TryDecode("nope"u8, out _, out error));
        Assert.Contains("at least", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_rules_are_enforced()
    {
        var rid = ManifestGen.Fixed;
        var root = Digest.Sha256([1]);
        Assert.Throws<ArgumentException>(() => new Manifest(rid, ResourceKind.File, [new SegmentEntry(1, "a", 0, 10, null, root), new SegmentEntry(1, "b", 0, 10, null, root)]));
        Assert.Throws<ArgumentException>(() => new Manifest(rid, ResourceKind.File, [new SegmentEntry(0, "a", 0, (16 << 20) + 1, null, root)]));
        Assert.Throws<ArgumentException>(() => new Manifest(rid, ResourceKind.File, [], pieceSize: 3000));
        Assert.Throws<ArgumentException>(() => new Manifest(rid, ResourceKind.File, [new SegmentEntry(0, "a", 0, 10, null, root)], hashFunction: MerkleHashFunction.Sha1));
    }

    [Fact]
    public void Json_view_lists_the_segments()
    {
        var manifest = new Manifest(ManifestGen.Fixed, ResourceKind.HlsVod, [new SegmentEntry(7, "seg7.ts", null, 40000, TimeSpan.FromSeconds(6), Digest.Sha256([1]))]);
        using var json = System.Text.Json.JsonDocument.Parse(ManifestJson.Write(manifest));
        var segment = json.RootElement.GetProperty("segments")[0];
        Assert.Equal(7, segment.GetProperty("sequence").GetInt64());
        Assert.Equal(3, segment.GetProperty("pieces").GetInt32());
        Assert.Equal(6.0, segment.GetProperty("duration_s").GetDouble());
        Assert.Equal("HlsVod", json.RootElement.GetProperty("kind").GetString());
    }
}
