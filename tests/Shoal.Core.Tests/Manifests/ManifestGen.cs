using CsCheck;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Core.Tests.Manifests;

/// <summary>Generators of valid manifests for property tests.</summary>
internal static class ManifestGen
{
    public static readonly global::Shoal.Core.Identity.Rid Fixed = global::Shoal.Core.Identity.Rid.ForUrl("https://cdn.example/live/index.m3u8");

    public static readonly Gen<Rid> Rid = Gen.Byte.Array[global::Shoal.Core.Identity.Rid.Length].Select(b => global::Shoal.Core.Identity.Rid.FromBytes(b));

    public static Gen<SegmentEntry> Segment(MerkleHashFunction function) =>
        Gen.Select(
            Gen.Long[0, 16L << 20],
            Gen.String[Gen.Char.AlphaNumeric, 0, 40],
            Gen.Bool,
            Gen.Long[0, long.MaxValue],
            Gen.Bool,
            Gen.Long[0, 10_000_000_000],
            Gen.Byte.Array[MerkleHash.Size(function)])
        .Select((length, uri, hasOffset, offset, hasDuration, micros, root) =>
            new SegmentEntry(0, uri + "/ü", hasOffset ? offset : null, length, hasDuration ? TimeSpan.FromMicroseconds(micros) : null, new Digest(root)));

    public static readonly Gen<Manifest> Manifest =
        Gen.Select(Rid, Gen.Enum<ResourceKind>(), Gen.Int[10, 20], Gen.Bool.Select(b => b ? MerkleHashFunction.Sha256 : MerkleHashFunction.Sha1), Gen.Long[0, 1L << 40], Gen.Long[0, 1000])
            .SelectMany((rid, kind, pieceBits, function, firstSequence, update) =>
                Segment(function).Array[0, 12].Select(segments =>
                    new Manifest(
                        rid,
                        kind,
                        segments.Select((s, i) => s with { Sequence = firstSequence + (i * 3) }),
                        1 << pieceBits,
                        function,
                        update,
                        default)));
}
