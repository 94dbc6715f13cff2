using System.Text.Json;

namespace Shoal.Cli.Demo;

/// <summary>The figures the demo reads from one node's /api/status; absent fields read as zero.</summary>
internal sealed record NodeStatusReading(
    int Neighbours,
    long BytesFromPeers,
    long BytesFromOrigin,
    long BytesUploaded,
    long DeliveredFromPeers,
    long DeliveredFromOrigin)
{
    public static readonly NodeStatusReading None = new(0, 0, 0, 0, 0, 0);

    public static NodeStatusReading Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        long Total(string name) =>
            root.TryGetProperty("totals", out var totals) && totals.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;
        var neighbours = 0;
        if (root.TryGetProperty("swarms", out var swarms) && swarms.ValueKind == JsonValueKind.Array)
        {
            foreach (var swarm in swarms.EnumerateArray())
            {
                if (swarm.TryGetProperty("neighbours", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    neighbours += list.GetArrayLength();
                }
            }
        }

        return new NodeStatusReading(
            neighbours,
            Total("bytes_from_peers"),
            Total("bytes_from_origin"),
            Total("bytes_uploaded"),
            Total("delivered_from_peers"),
            Total("delivered_from_origin"));
    }
}
