using Shoal.Engine.Channels;
using Shoal.Engine.Congestion;
using Shoal.Engine.Tests.Channels;
using Shoal.Protocol;
using Shoal.Simulation.Packet;

namespace Shoal.Engine.Tests.Congestion;

/// <summary>
/// LEDBAT's behaviour on a simulated bottleneck (RFC 6817 §2): it fills the link while adding about TARGET of
/// queuing delay, two LEDBAT flows share the link, and a loss-based flow takes the link from it.
/// </summary>
public sealed class LedbatSimulationTests
{
    private const long BottleneckBitsPerSecond = 10_000_000;
    private static readonly byte[] Payload = TestSwarm.Chunk(0);

    private sealed class Dumbbell
    {
        public Dumbbell(int seed, int bufferBytes, params ChannelTableOptions?[] senders)
        {
            Network = new PacketNetwork(seed);
            Bottleneck = new Link(new LinkOptions { BitsPerSecond = BottleneckBitsPerSecond, Delay = TimeSpan.FromMilliseconds(20), BufferBytes = bufferBytes });
            Receiver = new ChannelHost(seed + 1000, TestSwarm.Accept);
            Network.AddHost(PacketNetwork.AddressOf(100), Receiver, Fast(), Bottleneck, clockOffset: TimeSpan.FromSeconds(-77));
            for (var i = 0; i < senders.Length; i++)
            {
                var host = new ChannelHost(seed + i, null, senders[i]);
                Network.AddHost(PacketNetwork.AddressOf(i + 1), host, Fast(), Fast(), clockOffset: TimeSpan.FromSeconds(i * 31.7));
                var channel = host.Table.Connect(Network.Now, PacketNetwork.AddressOf(100), TestSwarm.Handshake);
                for (ulong chunk = 0; chunk < 120_000; chunk++)
                {
                    channel.SendData(ChunkSpec.Single(chunk), Payload);
                }

                Channels.Add(channel);
            }
        }

        public PacketNetwork Network { get; }

        public Link Bottleneck { get; }

        public ChannelHost Receiver { get; }

        public List<PeerChannel> Channels { get; } = [];

        /// <summary>Content bytes the receiver got from each sender, in sender order.</summary>
        public long[] Delivered() =>
            Channels.Select(sender => Receiver.BytesDelivered.Where(kv => kv.Key.RemoteChannelId == sender.LocalChannelId).Sum(kv => kv.Value)).ToArray();

        private static Link Fast() => new(new LinkOptions { BitsPerSecond = 1_000_000_000, Delay = TimeSpan.FromMilliseconds(5) });
    }

    [Fact]
    public void Queuing_delay_settles_near_the_target_and_the_link_stays_full()
    {
        var net = new Dumbbell(seed: 41, bufferBytes: 2 * 1024 * 1024, senders: [null]);
        net.Network.RunUntil(Instant.FromSeconds(20));
        net.Bottleneck.ResetStatistics();
        var before = net.Delivered()[0];

        net.Network.RunUntil(Instant.FromSeconds(40));

        var mean = net.Bottleneck.MeanQueueDelay;
        var utilisation = (net.Delivered()[0] - before) * 8.0 / 20 / BottleneckBitsPerSecond;
        TestContext.Current.TestOutputHelper?.WriteLine($"mean queueing delay {mean.TotalMilliseconds:F1} ms, max {net.Bottleneck.MaxQueueDelay.TotalMilliseconds:F1} ms, utilisation {utilisation:P1}, retransmitted {net.Channels[0].GetStatistics(net.Network.Now).DataRetransmitted}");
        Assert.InRange(mean.TotalMilliseconds, 70, 130);
        Assert.True(net.Bottleneck.MaxQueueDelay < TimeSpan.FromMilliseconds(250), $"max queueing delay {net.Bottleneck.MaxQueueDelay}");
        Assert.True(utilisation > 0.85, $"utilisation {utilisation:P0}");
        Assert.Equal(0, net.Bottleneck.TailDropped);
        var ledbat = Assert.IsType<LedbatController>(net.Channels[0].CongestionController);
        Assert.InRange(ledbat.QueuingDelay.TotalMilliseconds, 50, 150);
    }

    [Fact]
    public void A_smaller_target_gives_a_smaller_queue()
    {
        var options = new ChannelTableOptions { Channel = new ChannelOptions { Ledbat = new LedbatOptions { Target = TimeSpan.FromMilliseconds(25) } } };
        var net = new Dumbbell(seed: 42, bufferBytes: 2 * 1024 * 1024, senders: [options]);
        net.Network.RunUntil(Instant.FromSeconds(20));
        net.Bottleneck.ResetStatistics();

        net.Network.RunUntil(Instant.FromSeconds(30));

        TestContext.Current.TestOutputHelper?.WriteLine($"mean queueing delay {net.Bottleneck.MeanQueueDelay.TotalMilliseconds:F1} ms with a 25 ms target");
        Assert.InRange(net.Bottleneck.MeanQueueDelay.TotalMilliseconds, 10, 40);
    }

    [Fact]
    public void Two_ledbat_flows_share_a_bottleneck_fairly()
    {
        var net = new Dumbbell(seed: 43, bufferBytes: 2 * 1024 * 1024, senders: [null, null]);
        net.Network.RunUntil(Instant.FromSeconds(20));
        var before = net.Delivered();

        net.Network.RunUntil(Instant.FromSeconds(60));

        var after = net.Delivered();
        var x = new[] { (double)(after[0] - before[0]), after[1] - before[1] };
        var jain = (x[0] + x[1]) * (x[0] + x[1]) / (2 * ((x[0] * x[0]) + (x[1] * x[1])));
        var utilisation = (x[0] + x[1]) * 8 / 40 / BottleneckBitsPerSecond;
        TestContext.Current.TestOutputHelper?.WriteLine($"Jain {jain:F3}: {x[0]:N0} vs {x[1]:N0} bytes, utilisation {utilisation:P1}");
        Assert.True(jain > 0.9, $"Jain's fairness index {jain:F3} ({x[0]:N0} vs {x[1]:N0} bytes)");
        Assert.True(utilisation > 0.85, $"utilisation {utilisation:P0}");
    }

    [Fact]
    public void A_ledbat_flow_yields_to_a_loss_based_flow()
    {
        var aimd = new ChannelTableOptions { Channel = new ChannelOptions { CongestionControllerFactory = () => new AimdController() } };
        var net = new Dumbbell(seed: 44, bufferBytes: 300 * 1024, senders: [null, aimd]);
        net.Network.RunUntil(Instant.FromSeconds(20));
        var before = net.Delivered();

        net.Network.RunUntil(Instant.FromSeconds(50));

        var after = net.Delivered();
        var ledbat = after[0] - before[0];
        var reno = after[1] - before[1];
        var share = (double)ledbat / (ledbat + reno);
        TestContext.Current.TestOutputHelper?.WriteLine($"LEDBAT share {share:P1}: {ledbat:N0} vs {reno:N0} bytes");
        Assert.True(share < 0.2, $"LEDBAT took {share:P0} of the link ({ledbat:N0} vs {reno:N0} bytes)");
        Assert.True(reno * 8.0 / 30 > 0.7 * BottleneckBitsPerSecond, "the loss-based flow gets most of the link");
    }
}
