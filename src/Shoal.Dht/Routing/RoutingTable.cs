using System.Net;
using Shoal.Dht.Ids;

namespace Shoal.Dht.Routing;

/// <summary>
/// The Kademlia routing table of BEP 5: k-buckets that cover the whole id space, where only the bucket that
/// holds our own id splits when it is full, so the table knows many nodes close to us and a few far away.
/// Bucket i (i &lt; last) holds the nodes sharing exactly i leading bits with our id; the last bucket holds the
/// rest. A full bucket never evicts a good node: a questionable one is pinged first and replaced only when it
/// fails to answer.
/// </summary>
public sealed class RoutingTable
{
    private readonly NodeId _self;
    private readonly DhtOptions _options;
    private readonly List<KBucket> _buckets;

    public RoutingTable(NodeId self, DhtOptions options, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(options);
        _self = self;
        _options = options;
        _buckets = [new KBucket(now)];
    }

    public int BucketCount => _buckets.Count;

    public int Count => _buckets.Sum(b => b.Entries.Count);

    /// <summary>
    /// Records that a node was heard from: <paramref name="responded"/> when it answered one of our queries
    /// (it is then good), false when it sent us a query. When the answer is
    /// <see cref="RoutingInsertResult.PingQuestionable"/>, <paramref name="toPing"/> is the node the caller
    /// must ping, then report with <see cref="Observe"/> (it answered) or <see cref="Failed"/>.
    /// </summary>
    public RoutingInsertResult Observe(NodeInfo node, TimeSpan now, bool responded, out NodeInfo toPing)
    {
        ArgumentNullException.ThrowIfNull(node.EndPoint);
        toPing = default;
        if (node.Id == _self)
        {
            return RoutingInsertResult.Ignored;
        }

        while (true)
        {
            var index = IndexFor(node.Id);
            var bucket = _buckets[index];
            var existing = bucket.Entries.Find(e => e.Node.Id == node.Id);
            if (existing is not null)
            {
                if (!existing.Node.EndPoint.Equals(node.EndPoint))
                {
                    return RoutingInsertResult.Ignored;
                }

                if (responded)
                {
                    existing.EverResponded = true;
                    existing.Failures = 0;
                    existing.PingInFlight = false;
                    existing.LastActive = now;
                }
                else if (existing.EverResponded)
                {
                    // BEP 5: a node that has responded before and queries us within 15 minutes stays good.
                    existing.LastActive = now;
                }

                bucket.LastChanged = now;
                return RoutingInsertResult.Updated;
            }

            if (bucket.Entries.Count < _options.BucketSize)
            {
                bucket.Entries.Add(new RoutingEntry(node, now) { EverResponded = responded });
                bucket.LastChanged = now;
                bucket.Replacements.RemoveAll(r => r.Id == node.Id);
                return RoutingInsertResult.Added;
            }

            if (index == _buckets.Count - 1 && _buckets.Count < NodeId.Bits)
            {
                Split(now);
                continue;
            }

            var bad = bucket.Entries.Find(e => e.Failures >= _options.FailuresBeforeBad);
            if (bad is not null)
            {
                bucket.Entries.Remove(bad);
                bucket.Entries.Add(new RoutingEntry(node, now) { EverResponded = responded });
                bucket.LastChanged = now;
                return RoutingInsertResult.Added;
            }

            var questionable = bucket.Entries
                .Where(e => IsQuestionable(e, now))
                .OrderBy(e => e.LastActive)
                .FirstOrDefault();
            if (questionable is null)
            {
                return RoutingInsertResult.Dropped;
            }

            AddReplacement(bucket, node);
            if (questionable.PingInFlight)
            {
                return RoutingInsertResult.Dropped;
            }

            questionable.PingInFlight = true;
            toPing = questionable.Node;
            return RoutingInsertResult.PingQuestionable;
        }
    }

    /// <summary>
    /// A query to this node timed out. After <see cref="DhtOptions.FailuresBeforeBad"/> failures in a row it is
    /// bad; a bad node, or a questionable one that failed its eviction ping, gives way to a waiting replacement.
    /// </summary>
    public void Failed(NodeId id, IPEndPoint endPoint, TimeSpan now)
    {
        var bucket = _buckets[IndexFor(id)];
        var entry = bucket.Entries.Find(e => e.Node.Id == id && e.Node.EndPoint.Equals(endPoint));
        if (entry is null)
        {
            return;
        }

        entry.Failures++;
        var failedEvictionPing = entry.PingInFlight;
        entry.PingInFlight = false;
        if ((entry.Failures >= _options.FailuresBeforeBad || failedEvictionPing) && bucket.Replacements.Count > 0)
        {
            bucket.Entries.Remove(entry);
            var replacement = bucket.Replacements[^1];
            bucket.Replacements.RemoveAt(bucket.Replacements.Count - 1);
            bucket.Entries.Add(new RoutingEntry(replacement, now));
            bucket.LastChanged = now;
        }
    }

    /// <summary>Whether the table holds this id at this endpoint.</summary>
    public bool Contains(NodeId id) => _buckets[IndexFor(id)].Entries.Exists(e => e.Node.Id == id);

    /// <summary>The <paramref name="count"/> nodes closest to <paramref name="target"/>, bad nodes excluded.</summary>
    public List<NodeInfo> Closest(NodeId target, int count)
    {
        var all = new List<NodeInfo>(Count);
        foreach (var bucket in _buckets)
        {
            foreach (var entry in bucket.Entries)
            {
                if (entry.Failures < _options.FailuresBeforeBad)
                {
                    all.Add(entry.Node);
                }
            }
        }

        all.Sort((x, y) => target.CompareDistance(x.Id, y.Id));
        if (all.Count > count)
        {
            all.RemoveRange(count, all.Count - count);
        }

        return all;
    }

    /// <summary>Buckets unchanged for the refresh interval; each is marked refreshed so it is returned once per interval.</summary>
    public List<int> TakeStaleBuckets(TimeSpan now)
    {
        var stale = new List<int>();
        for (var i = 0; i < _buckets.Count; i++)
        {
            if (now - _buckets[i].LastChanged >= _options.BucketRefreshInterval)
            {
                _buckets[i].LastChanged = now;
                stale.Add(i);
            }
        }

        return stale;
    }

    /// <summary>A random target inside bucket <paramref name="index"/>, to refresh it.</summary>
    public NodeId RandomIdInBucket(int index, Random random) =>
        index == _buckets.Count - 1 ? _self.RandomWithCommonPrefix(Math.Min(index + random.Next(0, 3), NodeId.Bits - 1), random) : _self.RandomWithCommonPrefix(index, random);

    public IEnumerable<NodeInfo> AllNodes() => _buckets.SelectMany(b => b.Entries).Select(e => e.Node);

    private bool IsQuestionable(RoutingEntry entry, TimeSpan now) =>
        entry.Failures > 0 || now - entry.LastActive >= _options.QuestionableAfter;

    private int IndexFor(NodeId id) => Math.Min(_self.CommonPrefixLength(id), _buckets.Count - 1);

    private void Split(TimeSpan now)
    {
        var last = _buckets[^1];
        var depth = _buckets.Count - 1;
        var deeper = new KBucket(now);
        foreach (var entry in last.Entries.Where(e => _self.CommonPrefixLength(e.Node.Id) > depth).ToList())
        {
            last.Entries.Remove(entry);
            deeper.Entries.Add(entry);
        }

        foreach (var candidate in last.Replacements.Where(r => _self.CommonPrefixLength(r.Id) > depth).ToList())
        {
            last.Replacements.Remove(candidate);
            deeper.Replacements.Add(candidate);
        }

        deeper.LastChanged = last.LastChanged;
        _buckets.Add(deeper);
    }

    private void AddReplacement(KBucket bucket, NodeInfo node)
    {
        bucket.Replacements.RemoveAll(r => r.Id == node.Id);
        if (bucket.Replacements.Count >= _options.BucketSize)
        {
            bucket.Replacements.RemoveAt(0);
        }

        bucket.Replacements.Add(node);
    }
}
