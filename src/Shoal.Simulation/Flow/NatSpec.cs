using System.Text.Json.Serialization;

namespace Shoal.Simulation.Flow;

/// <summary>
/// Reachability: a share of viewers cannot accept inbound connections (behind NAT or a firewall), so two of them cannot
/// connect to each other; and a share of all pairs cannot connect at all (symmetric NATs, filtering middleboxes).
/// </summary>
public sealed record NatSpec
{
    [JsonPropertyName("no_inbound")] public double NoInbound { get; init; }

    [JsonPropertyName("blocked_pairs")] public double BlockedPairs { get; init; }
}
