using System.Net;

namespace Shoal.Dht.Service;

/// <summary>Where a <see cref="DhtService"/> listens and how its node behaves.</summary>
public sealed record DhtServiceOptions
{
    /// <summary>Address and port to bind; port 0 picks a free port (what tests use).</summary>
    public IPEndPoint Bind { get; init; } = new(IPAddress.Any, 0);

    public DhtOptions Node { get; init; } = DhtOptions.Default;

    /// <summary>Seed of the node's randomness (id, transaction ids, token secrets); null draws one from the OS's CSPRNG.</summary>
    public int? Seed { get; init; }

    /// <summary>How often <see cref="DhtService.KeepAnnouncingAsync"/> announces again: half the 30 minutes a node keeps a peer.</summary>
    public TimeSpan ReannounceInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Upper bound on how long a lookup started through the client API may take before it is abandoned.</summary>
    public TimeSpan LookupTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
