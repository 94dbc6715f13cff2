using CsCheck;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;

namespace Shoal.Tracker.Tests.Peers;

public sealed class PeerListPolicyTests
{
    private static PeerRecord Peer(uint ip, ushort port = 7000, bool super = false, byte id = 0) =>
        new(PeerEndpoint.FromIPv4(ip, port), new PeerId(ip, port, id), 100, super, 0);

    [Fact]
    public void Mixes_super_peers_nearby_peers_and_random_peers_and_never_the_asker()
    {
        var asker = Peer(0xC0A80105); // 192.168.1.5
        var sample = new PeerSample();
        sample.SuperPeers.AddRange([Peer(0x0B000001, super: true), Peer(0x0B000002, super: true), Peer(0x0B000003, super: true)]);
        sample.Members.Add(asker);
        sample.Members.AddRange(Enumerable.Range(0, 40).Select(i => Peer(0x0C000000u + (uint)i)));
        sample.Members.AddRange([Peer(0xC0A80107), Peer(0xC0A80199)]);
        sample.Members.AddRange(sample.SuperPeers);

        var output = new PeerEndpoint[8];
        var count = new PeerListPolicy(0.25, 0.25).Choose(asker, sample, ipv6: false, output);

        var chosen = output[..count];
        Assert.Equal(8, count);
        Assert.DoesNotContain(asker.Endpoint, chosen);
        Assert.Equal(2, chosen.Count(e => e.IPv4 >> 8 == 0x0B0000)); // ceil(8 * 0.25) super peers
        Assert.Equal(2, chosen.Count(e => e.NetworkPrefix == asker.Endpoint.NetworkPrefix));
        Assert.Equal(count, chosen.Distinct().Count());
    }

    [Fact]
    public void Never_returns_the_asker_a_duplicate_or_the_wrong_family() =>
        Gen.Select(Gen.UInt[0, 50].Array[0, 80], Gen.UInt[0, 50], Gen.Int[0, 50], Gen.Bool).Sample((ips, askerIp, want, ipv6) =>
        {
            var asker = Peer(askerIp);
            var sample = new PeerSample();
            sample.Members.AddRange(ips.Select(ip => Peer(ip)));
            sample.Members.Add(new PeerRecord(new PeerEndpoint(UInt128.MaxValue, 1), default, 0, false, 0));
            sample.SuperPeers.AddRange(ips.Take(3).Select(ip => Peer(ip, super: true)));
            var output = new PeerEndpoint[want];
            var count = new PeerListPolicy(0.3, 0.3).Choose(asker, sample, ipv6, output);
            var chosen = output[..count];
            return !chosen.Contains(asker.Endpoint)
                && chosen.Distinct().Count() == count
                && chosen.All(e => e.IsIPv4 != ipv6)
                && count <= want;
        });
}
