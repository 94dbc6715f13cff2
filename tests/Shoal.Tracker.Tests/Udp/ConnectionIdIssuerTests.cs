using Microsoft.Extensions.Time.Testing;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Udp;

public sealed class ConnectionIdIssuerTests
{
    private static readonly PeerEndpoint Alice = PeerEndpoint.FromIPv4(0x0A000001, 6881);
    private static readonly PeerEndpoint Mallory = PeerEndpoint.FromIPv4(0x0A000002, 6881);

    private static (ConnectionIdIssuer Issuer, FakeTimeProvider Time) Make(byte[]? secret = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 3, TimeSpan.Zero));
        return (new ConnectionIdIssuer(secret ?? new byte[32], time, new UdpTrackerOptions()), time);
    }

    [Fact]
    public void An_id_is_accepted_for_two_minutes_from_its_address_only()
    {
        var (issuer, time) = Make();
        var id = issuer.Issue(Alice);
        Assert.True(issuer.IsValid(id, Alice));
        Assert.False(issuer.IsValid(id, Mallory));
        Assert.False(issuer.IsValid(id, Alice with { Port = 6882 }));

        time.Advance(TimeSpan.FromSeconds(119));
        Assert.True(issuer.IsValid(id, Alice));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(issuer.IsValid(id, Alice));
    }

    [Fact]
    public void Ids_from_another_secret_or_flipped_bits_are_refused()
    {
        var (issuer, _) = Make();
        var (other, _) = Make(Enumerable.Repeat((byte)7, 32).ToArray());
        var id = issuer.Issue(Alice);
        Assert.False(other.IsValid(id, Alice));
        for (var bit = 0; bit < 64; bit++)
        {
            Assert.False(issuer.IsValid(id ^ (1UL << bit), Alice), $"bit {bit}");
        }
    }

    [Fact]
    public void Instances_sharing_a_secret_accept_each_others_ids()
    {
        var secret = ConnectionIdIssuer.NewSecret();
        var (a, _) = Make(secret);
        var (b, _) = Make(secret);
        Assert.True(b.IsValid(a.Issue(Alice), Alice));
    }
}
