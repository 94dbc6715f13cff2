using Shoal.Engine.Peers;
using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Tests.Peers;

public sealed class PeerPolicyTests
{
    private static readonly NeighbourId Peer = new(7);

    [Fact]
    public void One_bad_chunk_bans_its_sender()
    {
        var policy = new PeerPolicy(PeerPolicySettings.Default);
        Assert.Equal(PeerVerdict.Ok, policy.VerdictOf(Peer));
        Assert.Equal(PeerVerdict.Ban, policy.BadPiece(Peer));
    }

    [Fact]
    public void A_peer_that_never_answers_is_throttled_then_dropped_and_delivery_forgives()
    {
        var settings = PeerPolicySettings.Default;
        var policy = new PeerPolicy(settings);
        for (var i = 1; i < settings.StallsBeforeThrottle; i++) Assert.Equal(PeerVerdict.Ok, policy.Stalled(Peer));
        Assert.Equal(PeerVerdict.Throttle, policy.Stalled(Peer));
        policy.Delivered(Peer);
        Assert.Equal(PeerVerdict.Ok, policy.VerdictOf(Peer));
        var verdict = PeerVerdict.Ok;
        for (var i = 0; i < settings.StallsBeforeDrop; i++) verdict = policy.Stalled(Peer);
        Assert.Equal(PeerVerdict.Drop, verdict);
    }

    [Fact]
    public void A_request_flood_is_ignored_beyond_the_rate_then_dropped_when_it_persists()
    {
        var settings = PeerPolicySettings.Default with { MaxRequestsPerSecond = 10, RequestWindow = TimeSpan.FromSeconds(1) };
        var policy = new PeerPolicy(settings);
        var accepted = 0;
        for (var i = 0; i < 50; i++) accepted += policy.Request(Peer, Instant.FromSeconds(0.01 * i)) ? 1 : 0;
        Assert.Equal(10, accepted);
        Assert.Equal(PeerVerdict.Throttle, policy.VerdictOf(Peer));
        for (var w = 1; w < settings.FloodWindowsBeforeDrop; w++)
            for (var i = 0; i < 50; i++) policy.Request(Peer, Instant.FromSeconds(w + 0.01 * i));
        Assert.Equal(PeerVerdict.Drop, policy.VerdictOf(Peer));

        var calm = new NeighbourId(8);
        for (var i = 0; i < 100; i++) Assert.True(policy.Request(calm, Instant.FromSeconds(i * 0.2)));
        Assert.Equal(PeerVerdict.Ok, policy.VerdictOf(calm));
    }
}
