using Shoal.Core.Identity;

namespace Shoal.Core.Tests.Identity;

public sealed class OriginUrlTests
{
    [Theory]
    [InlineData("HTTP://CDN.Example.COM/Live/Index.m3u8", "http://cdn.example.com/Live/Index.m3u8")]
    [InlineData("http://cdn.example.com:80/a", "http://cdn.example.com/a")]
    [InlineData("https://cdn.example.com:443/a", "https://cdn.example.com/a")]
    [InlineData("https://cdn.example.com:8443/a", "https://cdn.example.com:8443/a")]
    [InlineData("http://cdn.example.com:443/a", "http://cdn.example.com:443/a")]
    [InlineData("http://cdn.example.com/a#frag", "http://cdn.example.com/a")]
    [InlineData("http://cdn.example.com", "http://cdn.example.com/")]
    [InlineData("http://cdn.example.com?x=1", "http://cdn.example.com/?x=1")]
    [InlineData("http://cdn.example.com/a/../b/%7E?Q=%2F&b", "http://cdn.example.com/a/../b/%7E?Q=%2F&b")]
    [InlineData("http://[2001:DB8::1]:80/v", "http://[2001:db8::1]/v")]
    [InlineData("http://[2001:db8::1]:8080/v", "http://[2001:db8::1]:8080/v")]
    public void Canonical_form_follows_the_documented_rules(string url, string canonical) =>
        Assert.Equal(canonical, OriginUrl.Canonicalize(url));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("cdn.example.com/a", "not an absolute URL")]
    [InlineData("ftp://cdn.example.com/a", "only http and https")]
    [InlineData("http://user:pw@cdn.example.com/a", "credentials")]
    [InlineData("http://[2001:db8::1/a", "unterminated IPv6")]
    [InlineData("http://[2001:db8::1]x/a", "not a port")]
    [InlineData("http:///a", "no host")]
    [InlineData("http://cdn.example.com:0/a", "1 to 65535")]
    [InlineData("http://cdn.example.com:99999/a", "1 to 65535")]
    [InlineData("http://cdn.example.com:8o/a", "1 to 65535")]
    public void Bad_urls_are_refused_with_a_clear_reason(string url, string reason)
    {
        Assert.False(OriginUrl.TryCanonicalize(url, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var thrown = Assert.Throws<FormatException>(() => OriginUrl.Canonicalize(url));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void Canonicalisation_is_idempotent()
    {
        foreach (var url in new[] { "HTTPS://A.example:443/X?y#z", "http://b.example:8080", "http://[::1]/p" })
        {
            var once = OriginUrl.Canonicalize(url);
            Assert.Equal(once, OriginUrl.Canonicalize(once));
        }
    }
}
