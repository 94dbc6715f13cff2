using System.Net;
using Shoal.Dht.Ids;
using Shoal.Dht.Lookups;

namespace Shoal.Dht.Tests.Simulation;

/// <summary>
/// A deterministic in-memory network of sans-IO DHT nodes: one seed gives one exact history. Datagrams are
/// delivered after a seeded latency, optionally lost; the clock jumps to the next delivery or wake-up.
/// </summary>
internal sealed class SimulatedDhtNetwork(int seed, double lossRate = 0)
{
    private readonly Random _random = new(seed);
    private readonly PriorityQueue<Delivery, (TimeSpan, long)> _inFlight = new();
    private readonly List<(DhtNode Node, IPEndPoint EndPoint)> _nodes = [];
    private readonly Dictionary<IPEndPoint, DhtNode> _byEndPoint = [];
    private readonly Dictionary<DhtNode, List<DhtLookupResult>> _results = [];
    private long _sequence;

    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(1);

    public long DatagramsDelivered { get; private set; }

    public IReadOnlyList<(DhtNode Node, IPEndPoint EndPoint)> Nodes => _nodes;

    public (DhtNode Node, IPEndPoint EndPoint) AddNode(DhtOptions? options = null)
    {
        var index = _nodes.Count + 1;
        var endPoint = new IPEndPoint(new IPAddress([10, 0, (byte)(index / 250), (byte)(1 + (index % 250))]), 6881);
        var node = new DhtNode(NodeId.Random(new Random(_random.Next())), options ?? DhtOptions.Default, new Random(_random.Next()), Now);
        _nodes.Add((node, endPoint));
        _byEndPoint[endPoint] = node;
        _results[node] = [];
        return (node, endPoint);
    }

    public IReadOnlyList<DhtLookupResult> ResultsOf(DhtNode node) => _results[node];

    /// <summary>The node crashes: datagrams to it are lost from now on and it no longer runs.</summary>
    public void Crash(IPEndPoint endPoint)
    {
        var index = _nodes.FindIndex(n => n.EndPoint.Equals(endPoint));
        _results.Remove(_nodes[index].Node);
        _nodes.RemoveAt(index);
        _byEndPoint.Remove(endPoint);
    }

    /// <summary>Delivers datagrams and wake-ups in time order until the condition holds or the time limit passes.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan limit)
    {
        var end = Now + limit;
        while (true)
        {
            Pump();
            if (done())
            {
                return true;
            }

            var next = _nodes.Min(n => n.Node.NextWakeUp);
            if (_inFlight.TryPeek(out _, out var head) && head.Item1 < next)
            {
                next = head.Item1;
            }

            if (next > end)
            {
                Now = end;
                return done();
            }

            Now = next > Now ? next : Now;
            while (_inFlight.TryPeek(out var delivery, out var at) && at.Item1 <= Now)
            {
                _inFlight.Dequeue();
                if (_byEndPoint.TryGetValue(delivery.To, out var target))
                {
                    DatagramsDelivered++;
                    target.Receive(Now, delivery.From, delivery.Datagram);
                }
            }

            foreach (var (node, _) in _nodes)
            {
                if (node.NextWakeUp <= Now)
                {
                    node.WakeUp(Now);
                }
            }
        }
    }

    /// <summary>Runs until the given lookup of the node has finished, and returns its result.</summary>
    public DhtLookupResult Await(DhtNode node, int lookupId, TimeSpan limit)
    {
        DhtLookupResult? found = null;
        RunUntil(() => (found = _results[node].Find(r => r.LookupId == lookupId)) is not null, limit);
        return found ?? throw new TimeoutException($"lookup {lookupId} did not finish within {limit} (seed replay: same seed, same history)");
    }

    private void Pump()
    {
        foreach (var (node, endPoint) in _nodes)
        {
            while (node.TryPollTransmit(out var to, out var datagram))
            {
                if (_random.NextDouble() < lossRate)
                {
                    continue;
                }

                var latency = TimeSpan.FromMilliseconds(5 + _random.Next(45));
                _inFlight.Enqueue(new Delivery(endPoint, to, datagram.ToArray()), (Now + latency, _sequence++));
            }

            while (node.TryPollResult(out var result))
            {
                _results[node].Add(result);
            }
        }
    }

    private sealed record Delivery(IPEndPoint From, IPEndPoint To, byte[] Datagram);
}
