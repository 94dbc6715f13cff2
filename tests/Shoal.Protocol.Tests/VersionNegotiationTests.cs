namespace Shoal.Protocol.Tests;

/// <summary>RFC 7574 §7.2-§7.3 with RFC 6709 §4.1 min/max versioning.</summary>
public sealed class VersionNegotiationTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, true, 1)]
    [InlineData(1, 3, 2, 5, true, 3)]   // highest version both support
    [InlineData(2, 4, 1, 2, true, 2)]
    [InlineData(1, 1, 2, 3, false, 0)]  // disjoint ranges
    [InlineData(3, 4, 1, 2, false, 0)]
    [InlineData(0, 0, 0, 0, false, 0)]  // 0 is reserved
    public void Picks_the_highest_common_version(int localMin, int localMax, int remoteMin, int remoteMax, bool ok, int expected)
    {
        Assert.Equal(ok, VersionNegotiation.TryNegotiate((byte)localMin, (byte)localMax, (byte)remoteMin, (byte)remoteMax, out var version));
        Assert.Equal((byte)expected, version);
    }

    [Fact]
    public void A_peer_without_minimum_version_supports_only_its_version()
    {
        Assert.True(VersionNegotiation.TryNegotiate(1, 3, null, 2, out var version));
        Assert.Equal(2, version);
        Assert.False(VersionNegotiation.TryNegotiate(3, 4, null, 2, out _));
    }

    [Fact]
    public void The_initiator_accepts_only_a_version_in_its_range()
    {
        Assert.True(VersionNegotiation.IsAcceptable(1, 2, 2));
        Assert.False(VersionNegotiation.IsAcceptable(1, 2, 3));
        Assert.False(VersionNegotiation.IsAcceptable(0, 2, 0));
    }
}
