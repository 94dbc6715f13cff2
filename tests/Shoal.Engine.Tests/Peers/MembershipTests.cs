using Shoal.Engine.Peers;
using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Tests.Peers;

public sealed class MembershipTests
{
    private static NeighbourId N(int i) => new(i);

    private static Instant At(double s) => Instant.FromSeconds(s);

    [Fact]
    public void The_set_stays_bounded_and_connects_super_peers_first()
    {
        var membership = new Membership(MembershipSettings.Default with { MaxNeighbours = 3 });
        for (var i = 1; i <= 5; i++) Assert.True(membership.AddCandidate(N(i), superPeer: i == 4));
        Assert.False(membership.AddCandidate(N(1), false));
        var dial = membership.ToConnect();
        Assert.Equal([N(4), N(1), N(2)], dial);
        Assert.Empty(membership.ToConnect());
        foreach (var id in dial) Assert.True(membership.Connected(id, At(0)));
        Assert.False(membership.Connected(N(9), At(0)), "an inbound peer beyond the bound is refused");
        Assert.Equal(3, membership.Neighbours.Count);
    }

    [Fact]
    public void Failed_candidates_and_dead_neighbours_are_forgotten()
    {
        var membership = new Membership(MembershipSettings.Default with { MaxNeighbours = 1, MaxConnectFailures = 2 });
        membership.AddCandidate(N(1), false);
        Assert.Equal([N(1)], membership.ToConnect());
        membership.ConnectFailed(N(1));
        Assert.Equal([N(1)], membership.ToConnect());
        membership.ConnectFailed(N(1));
        Assert.Empty(membership.ToConnect());

        membership.AddCandidate(N(2), false);
        membership.ToConnect();
        membership.Connected(N(2), At(0));
        membership.Disconnected(N(2));
        Assert.Empty(membership.Neighbours);
        Assert.True(membership.AddCandidate(N(2), false), "a dead neighbour may come back as a candidate");
    }

    [Fact]
    public void A_failed_candidate_is_retried_after_the_others_however_often_the_pool_churns()
    {
        var membership = new Membership(MembershipSettings.Default with { MaxNeighbours = 2, MaxConnectFailures = 1000 });
        for (var i = 1; i <= 4; i++) membership.AddCandidate(N(i), superPeer: false);
        // Many rounds of failures leave many superseded entries in the dial order; the order must stay the retry order.
        for (var round = 0; round < 100; round++)
        {
            var dial = membership.ToConnect();
            Assert.Equal(2, dial.Count);
            foreach (var id in dial) membership.ConnectFailed(id);
        }
        // 1, 2 fail, then 3, 4, then 1, 2 ...: after an even number of rounds the next pair is 1 and 2 again.
        Assert.Equal([N(1), N(2)], membership.ToConnect());
        membership.ConnectFailed(N(1));
        membership.ConnectFailed(N(2));
        Assert.True(membership.AddCandidate(N(5), superPeer: true));
        Assert.Equal([N(5), N(3)], membership.ToConnect());
        Assert.True(membership.Connected(N(3), At(0)));
        membership.ConnectFailed(N(5));
        Assert.Equal([N(5)], membership.ToConnect()); // a super peer goes first even after it failed
        membership.ConnectFailed(N(5));
        membership.Ban(N(5));
        Assert.Equal([N(4)], membership.ToConnect());
    }

    [Fact]
    public void The_worst_neighbour_is_replaced_periodically_after_its_grace_period()
    {
        var settings = MembershipSettings.Default with { MaxNeighbours = 2 };
        var membership = new Membership(settings);
        membership.AddCandidate(N(1), false);
        membership.AddCandidate(N(2), false);
        foreach (var id in membership.ToConnect()) membership.Connected(id, At(0));
        membership.AddCandidate(N(3), false);
        var scores = new[]
        {
            new NeighbourScore(N(1), TimeSpan.FromMilliseconds(20), 500_000, 10_000, 10_000, false),
            new NeighbourScore(N(2), TimeSpan.FromMilliseconds(300), 1_000, 0, 50_000, false),
        };
        Assert.Null(membership.WorstToReplace(At(5), scores));
        Assert.Equal(N(2), membership.WorstToReplace(At(40), scores));
        Assert.Null(membership.WorstToReplace(At(41), scores));
        Assert.Equal([N(3)], membership.ToConnect());
    }

    [Fact]
    public void Score_prefers_low_rtt_high_rate_super_peers_and_reciprocation()
    {
        var s = MembershipSettings.Default;
        var basis = new NeighbourScore(N(1), TimeSpan.FromMilliseconds(50), 100_000, 1000, 1000, false);
        Assert.True(Membership.Score(basis with { Rtt = TimeSpan.FromMilliseconds(10) }, s) > Membership.Score(basis, s));
        Assert.True(Membership.Score(basis with { RateToUs = 400_000 }, s) > Membership.Score(basis, s));
        Assert.True(Membership.Score(basis with { SuperPeer = true }, s) > Membership.Score(basis, s));
        Assert.True(Membership.Score(basis with { BytesFromThem = 0 }, s) < Membership.Score(basis, s));
    }

    [Fact]
    public void A_banned_peer_is_never_accepted_again()
    {
        var membership = new Membership(MembershipSettings.Default);
        membership.AddCandidate(N(1), false);
        membership.ToConnect();
        membership.Connected(N(1), At(0));
        membership.Ban(N(1));
        Assert.True(membership.IsBanned(N(1)));
        Assert.False(membership.AddCandidate(N(1), false));
        Assert.False(membership.Connected(N(1), At(1)));
    }
}
