using System.Net;
using Shoal.Dht.Ids;
using Shoal.Dht.Routing;

namespace Shoal.Dht.Tests.Routing;

public sealed class RoutingTableTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(10);

    private static NodeInfo Node(NodeId id, int index) => new(id, new IPEndPoint(new IPAddress([10, 1, (byte)(index >> 8), (byte)index]), 6881));

    [Fact]
    public void Buckets_hold_at_most_k_and_split_around_the_own_id()
    {
        var random = new Random(1);
        var self = NodeId.Random(random);
        var table = new RoutingTable(self, DhtOptions.Default, Start);
        var all = new List<NodeInfo>();
        for (var i = 0; i < 2000; i++)
        {
            // Half the nodes are near us, so the buckets around our id fill and split.
            var id = i % 2 == 0 ? NodeId.Random(random) : self.RandomWithCommonPrefix(random.Next(0, 20), random);
            var node = Node(id, i);
            all.Add(node);
            table.Observe(node, Start, responded: true, out _);
        }

        Assert.True(table.BucketCount > 10, $"only {table.BucketCount} buckets");
        Assert.True(table.Count <= table.BucketCount * 8);
        var known = table.AllNodes().ToList();
        Assert.All(known.GroupBy(n => Math.Min(self.CommonPrefixLength(n.Id), table.BucketCount - 1)), g => Assert.True(g.Count() <= 8));

        // The closest known nodes are exactly the closest nodes of the table, in order.
        var target = NodeId.Random(random);
        var closest = table.Closest(target, 8);
        var expected = known.OrderBy(n => n.Id.Xor(target)).Take(8).ToList();
        Assert.Equal(expected, closest);
        // No node is turned away while its bucket has room: a bucket holds min(K, nodes seen for its range).
        foreach (var group in all.GroupBy(n => Math.Min(self.CommonPrefixLength(n.Id), table.BucketCount - 1)))
        {
            var kept = known.Count(n => Math.Min(self.CommonPrefixLength(n.Id), table.BucketCount - 1) == group.Key);
            Assert.Equal(Math.Min(8, group.Count()), kept);
        }
    }

    [Fact]
    public void A_full_bucket_of_good_nodes_drops_newcomers_and_pings_a_questionable_one_before_evicting_it()
    {
        var random = new Random(2);
        var self = NodeId.Random(random);
        var options = DhtOptions.Default;
        var table = new RoutingTable(self, options, Start);
        // Bucket 0 (ids differing in the first bit) cannot split once another bucket exists; fill both.
        for (var i = 0; i < 8; i++)
        {
            table.Observe(Node(self.RandomWithCommonPrefix(3, random), 100 + i), Start, true, out _);
        }

        var far = Enumerable.Range(0, 8).Select(i => Node(self.RandomWithCommonPrefix(0, random), i)).ToList();
        foreach (var node in far)
        {
            table.Observe(node, Start, true, out _);
        }

        var newcomer = Node(self.RandomWithCommonPrefix(0, random), 50);
        Assert.Equal(RoutingInsertResult.Dropped, table.Observe(newcomer, Start + TimeSpan.FromMinutes(1), true, out _));

        var later = Start + options.QuestionableAfter + TimeSpan.FromSeconds(1);
        // One far node stays active; the rest become questionable.
        table.Observe(far[3], later - TimeSpan.FromMinutes(1), true, out _);
        Assert.Equal(RoutingInsertResult.PingQuestionable, table.Observe(newcomer, later, true, out var toPing));
        Assert.NotEqual(far[3], toPing);
        var second = Node(self.RandomWithCommonPrefix(0, random), 51);
        Assert.Equal(RoutingInsertResult.Dropped, table.Observe(second, later, true, out _));

        table.Failed(toPing.Id, toPing.EndPoint, later + TimeSpan.FromSeconds(2));
        Assert.False(table.Contains(toPing.Id));
        // The most recent waiting replacement takes the evicted node's place.
        Assert.True(table.Contains(second.Id));
        Assert.False(table.Contains(newcomer.Id));
        Assert.Equal(8, table.AllNodes().Count(n => n.Id.CommonPrefixLength(self) == 0));
    }

    [Fact]
    public void A_questionable_node_that_answers_its_ping_stays()
    {
        var random = new Random(3);
        var self = NodeId.Random(random);
        var table = new RoutingTable(self, DhtOptions.Default, Start);
        table.Observe(Node(self.RandomWithCommonPrefix(5, random), 999), Start, true, out _);
        var far = Enumerable.Range(0, 8).Select(i => Node(self.RandomWithCommonPrefix(0, random), i)).ToList();
        foreach (var node in far)
        {
            table.Observe(node, Start, true, out _);
        }

        var later = Start + TimeSpan.FromMinutes(20);
        var newcomer = Node(self.RandomWithCommonPrefix(0, random), 77);
        Assert.Equal(RoutingInsertResult.PingQuestionable, table.Observe(newcomer, later, true, out var toPing));
        Assert.Equal(RoutingInsertResult.Updated, table.Observe(toPing, later + TimeSpan.FromSeconds(1), true, out _));
        Assert.True(table.Contains(toPing.Id));
        Assert.False(table.Contains(newcomer.Id));
    }

    [Fact]
    public void A_known_id_claiming_another_endpoint_is_ignored_and_our_own_id_is_never_stored()
    {
        var random = new Random(4);
        var self = NodeId.Random(random);
        var table = new RoutingTable(self, DhtOptions.Default, Start);
        var node = Node(NodeId.Random(random), 1);
        table.Observe(node, Start, true, out _);
        Assert.Equal(RoutingInsertResult.Ignored, table.Observe(node with { EndPoint = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1) }, Start, true, out _));
        Assert.Equal(RoutingInsertResult.Ignored, table.Observe(Node(self, 2), Start, true, out _));
        Assert.Equal(node, Assert.Single(table.AllNodes()));
    }

    [Fact]
    public void Buckets_unchanged_for_fifteen_minutes_are_stale_once_per_interval()
    {
        var table = new RoutingTable(NodeId.Random(new Random(5)), DhtOptions.Default, Start);
        Assert.Empty(table.TakeStaleBuckets(Start + TimeSpan.FromMinutes(14)));
        Assert.Equal([0], table.TakeStaleBuckets(Start + TimeSpan.FromMinutes(15)));
        Assert.Empty(table.TakeStaleBuckets(Start + TimeSpan.FromMinutes(16)));
    }

    [Fact]
    public void Random_ids_for_a_bucket_share_exactly_its_prefix()
    {
        var random = new Random(6);
        var self = NodeId.Random(random);
        for (var prefix = 0; prefix < NodeId.Bits; prefix++)
        {
            Assert.Equal(prefix, self.RandomWithCommonPrefix(prefix, random).CommonPrefixLength(self));
        }
    }
}
