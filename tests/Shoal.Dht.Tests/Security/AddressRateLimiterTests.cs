using System.Net;
using Shoal.Dht.Security;

namespace Shoal.Dht.Tests.Security;

public sealed class AddressRateLimiterTests
{
    [Fact]
    public void One_address_gets_its_burst_then_its_rate_while_others_are_unaffected()
    {
        var limiter = new AddressRateLimiter(perSecond: 10, burst: 20, maxAddresses: 100);
        var flooder = IPAddress.Parse("203.0.113.1");
        var now = TimeSpan.FromSeconds(1);
        Assert.Equal(20, Enumerable.Range(0, 1000).Count(_ => limiter.TryAcquire(flooder, now)));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("203.0.113.2"), now));
        Assert.Equal(10, Enumerable.Range(0, 1000).Count(_ => limiter.TryAcquire(flooder, now + TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public void A_spoofed_source_flood_cannot_grow_the_table_past_its_bound()
    {
        var limiter = new AddressRateLimiter(perSecond: 1, burst: 5, maxAddresses: 50);
        var now = TimeSpan.FromSeconds(1);
        for (var i = 0; i < 10_000; i++)
        {
            var address = new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
            limiter.TryAcquire(address, now);
        }

        Assert.Equal(50, limiter.TrackedAddresses);
        // Once the tracked addresses are idle again they make room for new ones.
        Assert.True(limiter.TryAcquire(IPAddress.Parse("192.0.2.9"), now + TimeSpan.FromSeconds(10)));
    }
}
