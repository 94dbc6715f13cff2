using System.Net;
using Shoal.Dht.Security;

namespace Shoal.Dht.Tests.Security;

public sealed class TokenIssuerTests
{
    private static readonly TimeSpan Rotation = TimeSpan.FromMinutes(5);
    private static readonly IPAddress Asker = IPAddress.Parse("198.51.100.7");

    [Fact]
    public void A_token_is_valid_for_at_least_one_rotation_and_at_most_two()
    {
        var issuer = new TokenIssuer(new Random(1), Rotation, TimeSpan.Zero);
        var early = issuer.Issue(Asker, TimeSpan.Zero);
        var late = issuer.Issue(Asker, TimeSpan.FromMinutes(4.99));
        Assert.True(issuer.Validate(Asker, early, TimeSpan.FromMinutes(9.9)));
        Assert.True(issuer.Validate(Asker, late, TimeSpan.FromMinutes(9.9)));
        Assert.False(issuer.Validate(Asker, early, TimeSpan.FromMinutes(10)));
        Assert.False(issuer.Validate(Asker, late, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void A_token_is_bound_to_the_address_it_was_given_to()
    {
        var issuer = new TokenIssuer(new Random(2), Rotation, TimeSpan.Zero);
        var token = issuer.Issue(Asker, TimeSpan.Zero);
        Assert.False(issuer.Validate(IPAddress.Parse("198.51.100.8"), token, TimeSpan.Zero));
        Assert.True(issuer.Validate(Asker, token, TimeSpan.Zero));
        Assert.False(issuer.Validate(Asker, token.AsSpan(1), TimeSpan.Zero));
    }

    [Fact]
    public void After_a_long_silence_no_old_token_survives()
    {
        var issuer = new TokenIssuer(new Random(3), Rotation, TimeSpan.Zero);
        var token = issuer.Issue(Asker, TimeSpan.FromMinutes(1));
        Assert.False(issuer.Validate(Asker, token, TimeSpan.FromHours(1)));
    }
}
