using Shoal.Engine.Scheduling;
using Shoal.Engine.Uploading;

namespace Shoal.Engine.Tests.Uploading;

public sealed class UploadTests
{
    private static Instant At(double s) => Instant.FromSeconds(s);

    [Fact]
    public void The_token_bucket_holds_the_upload_to_its_limit()
    {
        var bucket = new TokenBucket(100_000, TimeSpan.FromMilliseconds(100), At(0));
        var sent = 0L;
        for (var t = 0; t < 1000; t++)
            while (bucket.TryConsume(At(t * 0.01), 1000)) sent += 1000;
        // 10 s at 100 kB/s plus the initial 10 kB burst.
        Assert.InRange(sent, 1_000_000, 1_011_000);
        Assert.True(bucket.AvailableAt(At(10), 5000) > At(10));
        var unlimited = new TokenBucket(null, TimeSpan.FromMilliseconds(100), At(0));
        Assert.True(unlimited.TryConsume(At(0), int.MaxValue));
    }

    [Fact]
    public void Unchoke_favours_reciprocating_tight_deadlines_plus_one_optimistic_slot()
    {
        var settings = UploadSettings.Default with { UnchokeSlots = 2, OptimisticSlots = 1 };
        var unchoker = new Unchoker(settings, superPeer: false, new Random(1));
        var interested = new List<UploadCandidate>
        {
            new(new NeighbourId(1), TimeSpan.FromSeconds(9), 50_000),
            new(new NeighbourId(2), TimeSpan.FromSeconds(2), 10_000),
            new(new NeighbourId(3), TimeSpan.FromSeconds(1), 0),
            new(new NeighbourId(4), TimeSpan.FromSeconds(5), 0),
            new(new NeighbourId(5), null, 0),
        };
        var (choke, unchoke) = unchoker.Rechoke(At(0), interested);
        Assert.Empty(choke);
        Assert.Equal(3, unchoke.Count);
        Assert.Contains(new NeighbourId(2), unchoke);
        Assert.Contains(new NeighbourId(1), unchoke);
        Assert.False(unchoker.IsDue(At(1)));
        Assert.True(unchoker.IsDue(At(settings.RechokeInterval.TotalSeconds)));

        // Over many rotations every newcomer gets the optimistic slot at some point.
        var seen = new HashSet<NeighbourId>();
        for (var i = 1; i < 60; i++)
        {
            unchoker.Rechoke(At(i * settings.OptimisticInterval.TotalSeconds), interested);
            seen.UnionWith(unchoker.Unchoked);
        }
        Assert.Superset(new HashSet<NeighbourId> { new(3), new(4), new(5) }, seen);

        var super = new Unchoker(settings, superPeer: true, new Random(1));
        Assert.Equal(settings.UnchokeSlots * settings.SuperPeerSlotFactor, super.RegularSlots);
    }
}
