using System.Net;
using Shoal.Engine;
using Shoal.Simulation.Packet;

namespace Shoal.Simulation.Tests.Packet;

public sealed class PacketNetworkTests
{
    /// <summary>A scripted engine: sends what it is told, records what arrives and when, wakes when asked.</summary>
    private sealed class Script : IDatagramEngine
    {
        public Queue<(IPEndPoint To, int Length)> Outbox { get; } = new();

        public List<(Instant At, IPEndPoint From, byte[] Bytes)> Inbox { get; } = [];

        public List<Instant> Wakes { get; } = [];

        public Instant? WakeAt { get; set; }

        public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram) => Inbox.Add((now, from, datagram.ToArray()));

        public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length)
        {
            if (!Outbox.TryDequeue(out var next))
            {
                to = null!;
                length = 0;
                return false;
            }

            buffer[..next.Length].Fill((byte)next.Length);
            to = next.To;
            length = next.Length;
            return true;
        }

        public Instant? NextWakeUp => WakeAt;

        public void WakeUp(Instant now)
        {
            Wakes.Add(now);
            WakeAt = null;
        }
    }

    private static (PacketNetwork Network, Script A, Script B) Pair(LinkOptions uplink, LinkOptions downlink, TimeSpan offsetB = default)
    {
        var network = new PacketNetwork(1);
        var a = new Script();
        var b = new Script();
        network.AddHost(PacketNetwork.AddressOf(1), a, new Link(uplink), new Link(LinkOptions.Ideal));
        network.AddHost(PacketNetwork.AddressOf(2), b, new Link(LinkOptions.Ideal), new Link(downlink), offsetB);
        return (network, a, b);
    }

    [Fact]
    public void A_datagram_arrives_after_serialisation_and_propagation()
    {
        // 1000 bytes at 8 Mbit/s = 1 ms on the wire, then 10 ms of propagation.
        var (network, a, b) = Pair(LinkOptions.Ideal, new LinkOptions { BitsPerSecond = 8_000_000, Delay = TimeSpan.FromMilliseconds(10) });
        a.Outbox.Enqueue((PacketNetwork.AddressOf(2), 1000));

        network.RunUntil(Instant.FromSeconds(1));

        var (at, from, bytes) = Assert.Single(b.Inbox);
        Assert.Equal(Instant.FromMilliseconds(11), at);
        Assert.Equal(PacketNetwork.AddressOf(1), from);
        Assert.Equal(1000, bytes.Length);
    }

    [Fact]
    public void A_queue_drains_at_the_link_rate_and_tail_drops_when_full()
    {
        var downlink = new LinkOptions { BitsPerSecond = 8_000_000, BufferBytes = 5_000 };
        var (network, a, b) = Pair(LinkOptions.Ideal, downlink);
        for (var i = 0; i < 10; i++)
        {
            a.Outbox.Enqueue((PacketNetwork.AddressOf(2), 1000));
        }

        network.RunUntil(Instant.FromSeconds(1));

        // Five fit in a 5000-byte buffer, the rest are dropped; survivors leave 1 ms apart.
        Assert.Equal(5, b.Inbox.Count);
        Assert.Equal(5, network.DatagramsDropped);
        Assert.Equal(
            [1000L, 2000, 3000, 4000, 5000],
            b.Inbox.Select(d => d.At.Microseconds).ToArray());
        var link = network.LinksOf(PacketNetwork.AddressOf(2)).Downlink;
        Assert.Equal(5, link.TailDropped);
        Assert.Equal(TimeSpan.FromMilliseconds(4), link.MaxQueueDelay);
    }

    [Fact]
    public void A_host_sees_its_own_clock_and_is_woken_on_it()
    {
        var offset = TimeSpan.FromSeconds(100);
        var (network, a, b) = Pair(LinkOptions.Ideal, new LinkOptions { Delay = TimeSpan.FromMilliseconds(5) }, offset);
        b.WakeAt = Instant.FromSeconds(100.5);
        a.Outbox.Enqueue((PacketNetwork.AddressOf(2), 10));

        network.RunUntil(Instant.FromSeconds(1));

        Assert.Equal(Instant.FromSeconds(100.005), b.Inbox[0].At);
        Assert.Equal([Instant.FromSeconds(100.5)], b.Wakes);
    }

    [Fact]
    public void Faults_are_drawn_from_the_seed_so_a_run_replays_exactly()
    {
        static (ulong, long, long, long) Run(int seed)
        {
            var network = new PacketNetwork(seed);
            var a = new Script();
            var b = new Script();
            var faulty = new LinkOptions { LossRate = 0.2, DuplicateRate = 0.2, CorruptRate = 0.2, Jitter = TimeSpan.FromMilliseconds(3), Delay = TimeSpan.FromMilliseconds(1) };
            network.AddHost(PacketNetwork.AddressOf(1), a, new Link(faulty), new Link(faulty));
            network.AddHost(PacketNetwork.AddressOf(2), b, new Link(faulty), new Link(faulty));
            for (var i = 1; i <= 500; i++)
            {
                a.Outbox.Enqueue((PacketNetwork.AddressOf(2), 20 + (i % 50)));
            }

            network.RunUntil(Instant.FromSeconds(1));
            return (network.TraceHash, network.DatagramsDelivered, network.DatagramsDuplicated, network.DatagramsCorrupted);
        }

        var first = Run(5);

        Assert.Equal(first, Run(5));
        Assert.NotEqual(first.Item1, Run(6).Item1);
        Assert.True(first.Item3 > 0 && first.Item4 > 0, "duplication and corruption happened");
        Assert.InRange(first.Item2, 300, 600);
    }

    [Fact]
    public void A_link_that_is_down_drops_everything()
    {
        var (network, a, b) = Pair(LinkOptions.Ideal, LinkOptions.Ideal);
        network.LinksOf(PacketNetwork.AddressOf(2)).Downlink.IsDown = true;
        a.Outbox.Enqueue((PacketNetwork.AddressOf(2), 10));

        network.RunUntil(Instant.FromSeconds(1));

        Assert.Empty(b.Inbox);
        Assert.Equal(1, network.LinksOf(PacketNetwork.AddressOf(2)).Downlink.DroppedWhileDown);
    }
}
