using System.Net;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;
using Shoal.Engine.Scheduling;
using Shoal.Engine.Swarming;

namespace Shoal.Engine.Tests.Swarming;

/// <summary>Two real swarms over a lossless in-memory link: a file slice of 4 MiB (256 pieces) passes whole from a seeder.</summary>
public sealed class LargeSegmentTransferTests
{
    private static readonly IPEndPoint SeederAddress = new(IPAddress.Loopback, 7001);
    private static readonly IPEndPoint LeecherAddress = new(IPAddress.Loopback, 7002);

    [Fact]
    public void A_preloaded_seeder_serves_every_piece_of_a_4_MiB_slice_and_the_leecher_verifies_them_all()
    {
        var rid = Rid.ForUrl("http://origin.example/big.bin");
        var slice = new byte[4 << 20];
        new Random(5).NextBytes(slice);
        var manifest = new Manifest(rid, ResourceKind.File, [new SegmentEntry(0, "http://origin.example/big.bin", 0, slice.Length, null, MerkleTree.Build(MerkleHashFunction.Sha256, slice).Root)]);
        var now = Instant.Zero;
        var seeder = new Swarm(new SwarmOptions(rid) { NodeSeed = 1 }, new Random(1), now);
        // The leecher never seeds from the origin: whatever it gets must come from the peer.
        var leecher = new Swarm(new SwarmOptions(rid) { NodeSeed = 2, Scheduler = SchedulerSettings.Default with { OriginCopiesPerPiece = 0 } }, new Random(2), now);
        seeder.SetManifest(now, manifest);
        leecher.SetManifest(now, manifest);

        // Preloaded bytes that do not match the manifest are refused; the right ones make the seeder hold the slice.
        var wrong = (byte[])slice.Clone();
        wrong[12345] ^= 1;
        Assert.Equal(0, seeder.Preload(now, 0, wrong[..^1]));
        seeder.Preload(now, 0, wrong);
        Assert.False(seeder.IsSegmentComplete(0));
        Assert.Equal(256, seeder.Preload(now, 0, slice));
        Assert.True(seeder.IsSegmentComplete(0));

        // The leecher's reader is parked well before the slice: nothing is ever urgent, so every piece must come from the peer.
        seeder.SetPlayback(now, 0, 0);
        leecher.SetPlayback(now, -5, 0);
        leecher.AddCandidate(SeederAddress);
        var buffer = new byte[2048];
        while (now < Instant.FromSeconds(30) && !leecher.IsSegmentComplete(0))
        {
            var moved = false;
            while (seeder.TryPollTransmit(now, buffer, out var to, out var length))
            {
                Assert.Equal(LeecherAddress, to);
                leecher.Receive(now, SeederAddress, buffer.AsSpan(0, length));
                moved = true;
            }

            while (leecher.TryPollTransmit(now, buffer, out var to, out var length))
            {
                Assert.Equal(SeederAddress, to);
                seeder.Receive(now, LeecherAddress, buffer.AsSpan(0, length));
                moved = true;
            }

            Assert.False(leecher.TryPollOriginRequest(out var request), $"the leecher asked the origin for {request}");
            if (!moved)
            {
                now = Instant.Min(Instant.Earliest(seeder.NextWakeUp, leecher.NextWakeUp) ?? now + TimeSpan.FromMilliseconds(1), now + TimeSpan.FromMilliseconds(1));
                seeder.WakeUp(now);
                leecher.WakeUp(now);
            }
        }

        Assert.True(leecher.TryReadSegment(0, out var bytes) && leecher.IsSegmentComplete(0), $"incomplete after {now}: {leecher.Metrics.BytesFromPeers} bytes from the peer");
        Assert.Equal(slice, bytes.ToArray());
        Assert.Equal(slice.Length, leecher.Metrics.BytesFromPeers);
        Assert.Equal(0, leecher.Metrics.BytesFromOrigin);
        Assert.Equal(0, leecher.Metrics.CorruptBytesRejected);
    }
}
