using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;
using Shoal.Engine.Swarming;

namespace Shoal.Engine.Tests.Swarming;

/// <summary>How soon a fresh swarm acts once its player has a position: start-up is the figure users notice first.</summary>
public sealed class StartUpTests
{
    [Fact]
    public void The_first_origin_request_leaves_when_playback_is_set_not_a_tick_later()
    {
        var rid = Rid.ForUrl("http://origin.example/start.bin");
        var body = new byte[256 * 1024];
        new Random(3).NextBytes(body);
        var manifest = new Manifest(rid, ResourceKind.File,
            [new SegmentEntry(0, "http://origin.example/start.bin", 0, body.Length, null, MerkleTree.Build(MerkleHashFunction.Sha256, body).Root)]);
        var joined = Instant.FromSeconds(7.3);
        var swarm = new Swarm(new SwarmOptions(rid) { NodeSeed = 1 }, new Random(1), joined);

        // The manifest arrives first; a pass then has nothing to plan, and must not hold back the one that follows.
        swarm.SetManifest(joined, manifest);
        Assert.False(swarm.TryPollOriginRequest(out _));
        swarm.SetPlayback(joined, 0, 1);

        // Alone, with the first bytes due now: the origin is asked at once.
        Assert.True(swarm.TryPollOriginRequest(out var request));
        Assert.Equal(0, request.Offset);
    }
}
