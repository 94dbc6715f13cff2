using System.Globalization;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Tests.Simulation;

/// <summary>
/// Figures of the lookup algorithm in the deterministic simulator (queries per lookup, success rate), printed
/// for the record. Reproduce with:
/// dotnet test tests/Shoal.Dht.Tests --filter "FullyQualifiedName~LookupCost" --logger "console;verbosity=detailed"
/// </summary>
public sealed class LookupCostTests
{
    [Theory]
    [InlineData(200, 0.05)]
    public void Lookups_in_a_larger_network_stay_logarithmic_in_cost_and_find_what_was_announced(int size, double loss)
    {
        var network = new SimulatedDhtNetwork(seed: 42, loss);
        var nodes = Enumerable.Range(0, size).Select(_ => network.AddNode()).ToList();
        var random = new Random(42);
        // Each node joins through a random node that joined before it.
        for (var i = 1; i < size; i++)
        {
            var node = nodes[i].Node;
            network.Await(node, node.Bootstrap(network.Now, [nodes[random.Next(i)].EndPoint]), TimeSpan.FromMinutes(2));
        }

        network.RunUntil(() => false, TimeSpan.FromMinutes(1));
        const int Trials = 20;
        var found = 0;
        var queries = new List<int>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var infoHash = NodeId.Random(random);
            var (announcer, announcerEndPoint) = nodes[random.Next(size)];
            var (seeker, _) = nodes[random.Next(size)];
            var announced = network.Await(announcer, announcer.StartAnnounce(network.Now, infoHash, 6000 + trial), TimeSpan.FromMinutes(2));
            var result = network.Await(seeker, seeker.StartGetPeers(network.Now, infoHash), TimeSpan.FromMinutes(2));
            queries.Add(result.QueriesSent);
            if (result.Peers.Any(p => p.Address.Equals(announcerEndPoint.Address) && p.Port == 6000 + trial))
            {
                found++;
            }
        }

        var mean = queries.Average();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"nodes={size} loss={loss:0.00} get_peers found={found}/{Trials} queries_per_lookup mean={mean:0.0} max={queries.Max()}"));
        Assert.True(found >= Trials - 1, $"found {found} of {Trials}");
        Assert.True(mean < 60, $"a lookup sent {mean} queries on average");
    }
}
