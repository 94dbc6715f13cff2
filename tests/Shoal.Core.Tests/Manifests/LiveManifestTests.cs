using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Core.Tests.Manifests;

public sealed class LiveManifestTests
{
    private static SegmentEntry Segment(long sequence) =>
        new(sequence, $"live/{sequence}.ts", null, 100_000 + sequence, TimeSpan.FromSeconds(2), Digest.Sha256(BitConverter.GetBytes(sequence)));

    private static (SigningKeyPair Key, LiveManifestPublisher Publisher, LiveManifestFollower Follower) Setup(int window = 3)
    {
        var key = SigningKeyPair.Generate();
        var rid = ManifestGen.Fixed;
        return (key, new LiveManifestPublisher(key, rid, ResourceKind.HlsLive, new LiveManifestOptions(window)), new LiveManifestFollower(key.PublicKey, rid));
    }

    [Fact]
    public void Updates_grow_slide_and_chain()
    {
        var (key, publisher, follower) = Setup();
        using (key)
        {
            for (var sequence = 0; sequence < 10; sequence++)
            {
                var update = publisher.Publish([Segment(sequence)]);
                Assert.True(follower.TryAccept(update.Bytes, out var accepted, out var error), error);
                Assert.Equal(sequence + 1, accepted.Manifest.UpdateNumber);
                Assert.Equal(Math.Min(sequence + 1, 3), accepted.Manifest.Segments.Count);
                Assert.Equal(sequence, accepted.Manifest.Segments[^1].Sequence);
            }
        }
    }

    [Fact]
    public void Replayed_reordered_and_skipped_updates_are_rejected()
    {
        var (key, publisher, follower) = Setup();
        using (key)
        {
            var first = publisher.Publish([Segment(0)]).Bytes.ToArray();
            var second = publisher.Publish([Segment(1)]).Bytes.ToArray();
            var third = publisher.Publish([Segment(2)]).Bytes.ToArray();
            var fourth = publisher.Publish([Segment(3)]).Bytes.ToArray();

            Assert.True(follower.TryAccept(first, out _, out _));
            Assert.False(follower.TryAccept(third, out _, out var error));
            Assert.Contains("skips", error, StringComparison.Ordinal);
            Assert.True(follower.TryAccept(second, out _, out _));
            Assert.False(follower.TryAccept(second, out _, out error));
            Assert.Contains("replayed", error, StringComparison.Ordinal);
            Assert.False(follower.TryAccept(first, out _, out error));
            Assert.Contains("replayed", error, StringComparison.Ordinal);
            Assert.True(follower.TryAccept(third, out _, out _));
            Assert.True(follower.TryAccept(fourth, out _, out _));
            Assert.Equal(4, follower.Current!.Manifest.UpdateNumber);
        }
    }

    [Fact]
    public void A_fork_signed_by_the_same_key_does_not_chain()
    {
        var (key, publisher, follower) = Setup();
        using (key)
        {
            Assert.True(follower.TryAccept(publisher.Publish([Segment(0)]).Bytes, out var first, out _));
            publisher.Publish([Segment(1)]);

            // A second update 2 that names a different predecessor: signed correctly, but not a link of this chain.
            var fork = new Manifest(first.Manifest.Rid, ResourceKind.HlsLive, [Segment(0), Segment(1)], updateNumber: 2, previousUpdate: Digest.Sha256([9]));
            Assert.False(follower.TryAccept(SignedManifest.Sign(fork, key).Bytes, out _, out var error));
            Assert.Contains("does not chain", error, StringComparison.Ordinal);

            var rewritten = new Manifest(first.Manifest.Rid, ResourceKind.HlsLive, [Segment(0) with { Length = 1 }, Segment(1)], updateNumber: 2, previousUpdate: first.Digest);
            Assert.False(follower.TryAccept(SignedManifest.Sign(rewritten, key).Bytes, out _, out error));
            Assert.Contains("changes segment 0", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Updates_from_another_publisher_are_rejected()
    {
        var (key, _, follower) = Setup();
        using var stranger = SigningKeyPair.Generate();
        using (key)
        {
            var forged = new LiveManifestPublisher(stranger, follower.Rid, ResourceKind.HlsLive).Publish([Segment(0)]);
            Assert.False(follower.TryAccept(forged.Bytes, out _, out var error));
            Assert.Contains("not by the trusted key", error, StringComparison.Ordinal);
        }
    }
}
