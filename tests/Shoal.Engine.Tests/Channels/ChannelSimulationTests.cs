using Shoal.Engine.Channels;
using Shoal.Protocol;
using Shoal.Simulation.Packet;

namespace Shoal.Engine.Tests.Channels;

/// <summary>Channels between two hosts of the deterministic packet-level simulator: handshake, loss recovery, teardown.</summary>
public sealed class ChannelSimulationTests
{
    private static readonly TimeSpan TenMs = TimeSpan.FromMilliseconds(10);

    private sealed record Pair(PacketNetwork Network, ChannelHost A, ChannelHost B, PeerChannel Channel);

    private static Pair Connect(int seed, Func<Link> link, ChannelTableOptions? options = null)
    {
        var network = new PacketNetwork(seed);
        var a = new ChannelHost(seed * 2, TestSwarm.Accept, options);
        var b = new ChannelHost((seed * 2) + 1, TestSwarm.Accept, options);
        network.AddHost(PacketNetwork.AddressOf(1), a, link(), link());
        network.AddHost(PacketNetwork.AddressOf(2), b, link(), link(), clockOffset: TimeSpan.FromSeconds(1234.5));
        var channel = a.Table.Connect(network.Now, PacketNetwork.AddressOf(2), TestSwarm.Handshake);
        return new Pair(network, a, b, channel);
    }

    [Fact]
    public void Handshake_opens_both_ends_on_a_clean_link()
    {
        var pair = Connect(1, () => TestSwarm.Lossy(10_000_000, 0, TenMs));

        var opened = pair.Network.RunUntil(
            () => pair.Channel.State == ChannelState.Open && pair.B.Accepted.Count == 1 && pair.B.Accepted[0].State == ChannelState.Open,
            Instant.FromSeconds(5));

        TestSwarm.Require(opened, pair.Network, "both ends open");
        var remote = pair.B.Accepted[0];
        Assert.Equal(pair.Channel.LocalChannelId, remote.RemoteChannelId);
        Assert.Equal(remote.LocalChannelId, pair.Channel.RemoteChannelId);
        Assert.Equal(TestSwarm.Id, remote.SwarmId);
        Assert.Equal(VersionNegotiation.Rfc7574, pair.Channel.Version);
        Assert.True(pair.Network.Now < Instant.FromMilliseconds(100), $"opened at {pair.Network.Now}, one round trip is 40 ms");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Handshake_completes_under_20_percent_loss_each_way(int seed)
    {
        var pair = Connect(seed, () => TestSwarm.Lossy(10_000_000, 0.2, TenMs));

        var opened = pair.Network.RunUntil(
            () => pair.Channel.State == ChannelState.Open && pair.B.Accepted.Count == 1 && pair.B.Accepted[0].State == ChannelState.Open,
            Instant.FromSeconds(60));

        TestSwarm.Require(opened, pair.Network, $"both ends open under loss (initiator {pair.Channel.State}/{pair.Channel.CloseReason})");
        Assert.Single(pair.B.Accepted);
    }

    [Fact]
    public void Handshake_to_a_silent_address_gives_up_after_its_retries()
    {
        var pair = Connect(3, () => TestSwarm.Lossy(10_000_000, 0, TenMs));
        pair.B.Crashed = true;

        pair.Network.RunUntil(Instant.FromSeconds(120));

        Assert.Equal(ChannelState.Closed, pair.Channel.State);
        Assert.Equal(ChannelCloseReason.HandshakeTimedOut, pair.Channel.CloseReason);
        Assert.Equal(ChannelOptions.Default.HandshakeAttempts, pair.Network.DatagramsSent);
        Assert.Empty(pair.A.Table.Channels);
    }

    [Fact]
    public void Handshake_for_a_swarm_the_peer_does_not_serve_is_refused()
    {
        var pair = Connect(4, () => TestSwarm.Lossy(10_000_000, 0, TenMs));
        var other = pair.A.Table.Connect(pair.Network.Now, PacketNetwork.AddressOf(2), new SwarmHandshake(Shoal.Core.Identity.Rid.ForUrl("https://elsewhere.example/x")));

        pair.Network.RunUntil(() => other.State == ChannelState.Closed, Instant.FromSeconds(5));

        Assert.Equal(ChannelCloseReason.Rejected, other.CloseReason);
        Assert.Equal(1, pair.B.Table.RefusedHandshakes);
        Assert.Equal(ChannelState.Open, pair.Channel.State);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void All_data_arrives_exactly_once_under_loss_reordering_and_duplication(int seed)
    {
        const int Chunks = 3000;
        var pair = Connect(seed, () => TestSwarm.Lossy(20_000_000, 0.05, TenMs, jitter: TimeSpan.FromMilliseconds(5), duplicate: 0.02));
        TestSwarm.SendChunks(pair.Channel, 0, Chunks);
        var corrupt = 0;
        pair.B.OnMessage = (_, message, _) =>
        {
            if (message.Type == MessageType.Data && !message.Payload.Span.SequenceEqual(TestSwarm.Chunk(message.Chunks.Start)))
            {
                corrupt++;
            }
        };

        var done = pair.Network.RunUntil(() => pair.B.DeliveryCounts.Count == Chunks && pair.Channel.ChunksUnacknowledged == 0, Instant.FromSeconds(120));

        TestSwarm.Require(done, pair.Network, $"all {Chunks} chunks delivered and acknowledged, got {pair.B.DeliveryCounts.Count}");
        Assert.All(pair.B.DeliveryCounts, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(0, corrupt);
        var stats = pair.Channel.GetStatistics(pair.Network.Now);
        Assert.True(stats.DataRetransmitted > 0, "5 % loss must have caused retransmissions");
        Assert.True(pair.Network.DatagramsDuplicated > 0);
        Assert.True(pair.B.Accepted[0].GetStatistics(pair.Network.Now).DuplicateDataReceived > 0, "duplicates were seen and suppressed");
        Assert.Equal(0, stats.BytesInFlight);
    }

    [Fact]
    public void Same_seed_gives_the_same_trace_and_another_seed_another()
    {
        static (ulong Hash, Instant End, long Sent) Run(int seed)
        {
            var pair = Connect(seed, () => TestSwarm.Lossy(20_000_000, 0.05, TenMs, jitter: TimeSpan.FromMilliseconds(5), duplicate: 0.02));
            TestSwarm.SendChunks(pair.Channel, 0, 500);
            pair.Network.RunUntil(() => pair.B.DeliveryCounts.Count == 500 && pair.Channel.ChunksUnacknowledged == 0, Instant.FromSeconds(60));
            return (pair.Network.TraceHash, pair.Network.Now, pair.Network.DatagramsSent);
        }

        var first = Run(21);
        var second = Run(21);
        var other = Run(22);

        Assert.Equal(first, second);
        Assert.NotEqual(first.Hash, other.Hash);
    }

    [Fact]
    public void A_transfer_survives_a_blackout_shorter_than_the_idle_timeout()
    {
        const int Chunks = 2000;
        var pair = Connect(9, () => TestSwarm.Lossy(5_000_000, 0, TenMs));
        TestSwarm.SendChunks(pair.Channel, 0, Chunks);
        pair.Network.RunUntil(Instant.FromSeconds(1));
        var before = pair.B.DeliveryCounts.Count;
        Assert.InRange(before, 1, Chunks - 1);

        // Every link of the receiver goes down for 10 s: retransmission time-outs back off, nothing is lost for good.
        var forward = pair.Network.LinksOf(PacketNetwork.AddressOf(2)).Downlink;
        forward.IsDown = true;
        pair.Network.RunUntil(Instant.FromSeconds(2));
        var queuedBeforeTheCut = pair.B.DeliveryCounts.Count;
        pair.Network.RunUntil(Instant.FromSeconds(11));
        Assert.Equal(queuedBeforeTheCut, pair.B.DeliveryCounts.Count);
        forward.IsDown = false;

        var done = pair.Network.RunUntil(() => pair.B.DeliveryCounts.Count == Chunks && pair.Channel.ChunksUnacknowledged == 0, Instant.FromSeconds(60));

        TestSwarm.Require(done, pair.Network, $"transfer completes after the blackout ({pair.B.DeliveryCounts.Count}/{Chunks})");
        Assert.All(pair.B.DeliveryCounts, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(ChannelState.Open, pair.Channel.State);
        Assert.True(forward.DroppedWhileDown > 0);
    }

    [Fact]
    public void Keep_alives_hold_an_idle_channel_open_past_the_idle_timeout()
    {
        var pair = Connect(5, () => TestSwarm.Lossy(10_000_000, 0, TenMs));

        pair.Network.RunUntil(Instant.FromSeconds(ChannelOptions.Default.IdleTimeout.TotalSeconds * 3));

        Assert.Equal(ChannelState.Open, pair.Channel.State);
        Assert.Equal(ChannelState.Open, pair.B.Accepted[0].State);
        Assert.True(pair.Network.DatagramsDelivered > 6, "keep-alives were exchanged");
    }

    [Fact]
    public void A_dead_peer_is_detected_by_the_idle_timeout()
    {
        var pair = Connect(6, () => TestSwarm.Lossy(10_000_000, 0, TenMs));
        pair.Network.RunUntil(Instant.FromSeconds(1));
        Assert.Equal(ChannelState.Open, pair.Channel.State);

        pair.B.Crashed = true;
        pair.Network.RunUntil(Instant.FromSeconds(1) + ChannelOptions.Default.IdleTimeout + TimeSpan.FromSeconds(1));

        Assert.Equal(ChannelState.Closed, pair.Channel.State);
        Assert.Equal(ChannelCloseReason.PeerTimedOut, pair.Channel.CloseReason);
    }

    [Fact]
    public void Close_tears_down_both_ends()
    {
        var pair = Connect(7, () => TestSwarm.Lossy(10_000_000, 0, TenMs));
        pair.Network.RunUntil(Instant.FromSeconds(1));

        pair.Network.Schedule(pair.Network.Now, pair.Channel.Close);
        pair.Network.RunUntil(Instant.FromSeconds(2));

        Assert.Equal(ChannelCloseReason.ClosedLocally, pair.Channel.CloseReason);
        Assert.Equal(ChannelCloseReason.ClosedByPeer, pair.B.Accepted[0].CloseReason);
        Assert.Empty(pair.A.Table.Channels);
        Assert.Empty(pair.B.Table.Channels);
    }

    [Fact]
    public void A_cancelled_range_is_not_sent_and_the_rest_still_arrives()
    {
        var pair = Connect(8, () => TestSwarm.Lossy(2_000_000, 0, TenMs));
        TestSwarm.SendChunks(pair.Channel, 0, 1000);
        var cancelSeen = false;
        pair.A.OnMessage = (_, message, _) => cancelSeen |= message.Type == MessageType.Cancel;
        var cancelled = false;
        pair.B.OnMessage = (channel, message, _) =>
        {
            if (!cancelled && message.Type == MessageType.Data)
            {
                // The receiver decides chunks 500..999 are late here and will ask elsewhere (RFC 7574 §8.11).
                cancelled = true;
                channel.SendCancel(new ChunkSpec(500, 999));
            }
        };

        pair.Network.RunUntil(() => pair.B.DeliveryCounts.Count >= 500 && pair.Channel.ChunksUnacknowledged == 0 && pair.Channel.BytesQueued == 0, Instant.FromSeconds(30));
        pair.Network.RunUntil(pair.Network.Now + TimeSpan.FromSeconds(2));

        Assert.True(cancelSeen);
        Assert.Equal(500, pair.B.DeliveryCounts.Count);
        Assert.All(pair.B.DeliveryCounts.Keys, chunk => Assert.True(chunk < 500, $"chunk {chunk} was cancelled"));
    }
}
