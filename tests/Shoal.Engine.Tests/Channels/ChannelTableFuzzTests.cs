using System.Net;
using Shoal.Engine.Channels;
using Shoal.Protocol;
using Shoal.Simulation.Packet;

namespace Shoal.Engine.Tests.Channels;

/// <summary>
/// Random and mutated datagrams fed to live channel tables (an open channel on each side, aimed at its real channel
/// id and from its real peer address so they get past routing): nothing throws, every poll terminates, and the
/// tables still work afterwards.
/// </summary>
public sealed class ChannelTableFuzzTests
{
    private const int MaxDatagramsPerDrain = 10_000;

    [Theory]
    [InlineData(1, 150_000)]
    [InlineData(2, 150_000)]
    public void Hostile_datagrams_never_crash_or_hang_a_live_table(int seed, int iterations)
    {
        var network = new PacketNetwork(seed);
        var a = new ChannelHost(seed * 7, TestSwarm.Accept);
        var b = new ChannelHost((seed * 7) + 1, TestSwarm.Accept);
        var addressA = PacketNetwork.AddressOf(1);
        var addressB = PacketNetwork.AddressOf(2);
        network.AddHost(addressA, a, Ideal(), Ideal());
        network.AddHost(addressB, b, Ideal(), Ideal());
        var initiator = a.Table.Connect(network.Now, addressB, TestSwarm.Handshake);
        TestSwarm.SendChunks(initiator, 0, 64);
        network.RunUntil(() => b.DeliveryCounts.Count == 64, Instant.FromSeconds(10));
        var responder = b.Accepted[0];
        TestSwarm.SendChunks(initiator, 64, 64);

        var random = new Random(seed);
        var now = network.Now;
        var buffer = new byte[PacketNetwork.MaxDatagramSize];
        var datagram = new byte[PacketNetwork.MaxDatagramSize];
        var targets = new[] { (Host: a, From: addressB), (Host: b, From: addressA) };
        var live = new[] { initiator, responder };
        var nextOpener = 1u;
        for (var i = 0; i < iterations; i++)
        {
            var side = i & 1;
            var (host, from) = targets[side];
            if (live[side].State == ChannelState.Closed)
            {
                live[side] = Reopen(host.Table, from, now, ref nextOpener, buffer);
            }

            var length = Mutate(random, live[side].LocalChannelId, datagram);
            try
            {
                host.Table.Receive(now, random.Next(8) == 0 ? RandomAddress(random) : from, datagram.AsSpan(0, length));
                if ((i & 63) == 0)
                {
                    Drain(host.Table, now, buffer);
                    if (host.Table.NextWakeUp is { } wake && wake <= now)
                    {
                        host.Table.WakeUp(now);
                    }
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"Iteration {i} (seed {seed}) threw on {Convert.ToHexString(datagram.AsSpan(0, length))}: {e}");
            }

            now += TimeSpan.FromMicroseconds(50);
        }

        // Afterwards both tables still open channels and move data.
        var c = new ChannelHost(seed + 99, null);
        var addressC = PacketNetwork.AddressOf(3);
        network.AddHost(addressC, c, Ideal(), Ideal());
        network.RunUntil(now);
        var fresh = c.Table.Connect(network.Now, addressB, TestSwarm.Handshake);
        TestSwarm.SendChunks(fresh, 1_000_000, 10);
        var delivered = network.RunUntil(() => b.DeliveryCounts.Keys.Count(k => k >= 1_000_000 && k < 1_000_010) == 10, now + TimeSpan.FromSeconds(10));
        Assert.True(delivered, $"the fuzzed table still serves a new channel (seed {seed})");
        Assert.True(a.Table.MalformedDatagrams + b.Table.MalformedDatagrams + a.Table.UnknownChannelDatagrams + b.Table.UnknownChannelDatagrams > 0);
    }

    private static Link Ideal() => new(LinkOptions.Ideal);

    private static void Drain(ChannelTable table, Instant now, byte[] buffer)
    {
        while (table.TryPollAccepted(out _))
        {
        }

        foreach (var channel in table.Channels)
        {
            while (channel.TryPollMessage(out _))
            {
            }
        }

        var sent = 0;
        while (table.TryPollTransmit(now, buffer, out _, out var length))
        {
            Assert.InRange(length, 4, buffer.Length);
            Assert.True(++sent < MaxDatagramsPerDrain, "TryPollTransmit never ran dry");
        }
    }

    /// <summary>Opens a new inbound channel from <paramref name="from"/> with a clean handshake, then confirms it.</summary>
    private static PeerChannel Reopen(ChannelTable table, IPEndPoint from, Instant now, ref uint nextOpener, byte[] buffer)
    {
        var opener = 0x7000_0000u + nextOpener++;
        var writer = new DatagramWriter(buffer, 0, WireFormat.Shoal);
        writer.TryWriteHandshake(opener, Handshake());
        table.Receive(now, from, writer.Written);
        Assert.True(table.TryPollAccepted(out var channel));
        var keepAlive = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(keepAlive, channel.LocalChannelId);
        table.Receive(now, from, keepAlive);
        return channel;
    }

    private static HandshakeOptions Handshake() => new()
    {
        Version = VersionNegotiation.Rfc7574,
        MinimumVersion = VersionNegotiation.Rfc7574,
        SwarmId = TestSwarm.Id.ToArray(),
        ContentIntegrityProtectionMethod = ContentIntegrityProtectionMethod.MerkleHashTree,
        MerkleHashFunction = MerkleHashFunction.Sha256,
        ChunkAddressing = ChunkAddressingMethod.ChunkRanges32,
        ChunkSize = 1024,
    };

    private static IPEndPoint RandomAddress(Random random) => new(new IPAddress(random.Next()), random.Next(1, 65536));

    /// <summary>A well-formed datagram of a random kind for <paramref name="channel"/>, then randomly damaged.</summary>
    private static int Mutate(Random random, uint channel, byte[] datagram)
    {
        var kind = random.Next(12);
        if (kind == 0)
        {
            var junk = random.Next(0, 64);
            random.NextBytes(datagram.AsSpan(0, junk));
            return junk;
        }

        var writer = new DatagramWriter(datagram, kind == 1 ? 0u : channel, WireFormat.Shoal);
        var messages = random.Next(1, 4);
        for (var m = 0; m < messages; m++)
        {
            var start = (ulong)random.Next(0, 300);
            var spec = new ChunkSpec(start, start + (ulong)random.Next(0, random.Next(2) == 0 ? 2 : 5000));
            _ = random.Next(11) switch
            {
                0 => writer.TryWriteHandshake((uint)random.Next(), Handshake()),
                1 => writer.TryWriteData(ChunkSpec.Single(start), (ulong)random.NextInt64(), TestSwarm.Chunk(start)),
                2 => writer.TryWriteAck(spec, random.NextInt64(-1_000_000, 1_000_000)),
                3 => writer.TryWriteHave(spec),
                4 => writer.TryWriteRequest(spec),
                5 => writer.TryWriteCancel(spec),
                6 => writer.TryWriteIntegrity(spec, new byte[32]),
                7 => writer.TryWritePexResponse(new IPEndPoint(IPAddress.Loopback, 6778)),
                8 => writer.TryWriteChoke(),
                9 => writer.TryWriteClose(VersionNegotiation.Rfc7574),
                _ => writer.TryWriteUnchoke(),
            };
        }

        var length = writer.BytesWritten;
        switch (random.Next(4))
        {
            case 0:
                return length;
            case 1:
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    datagram[random.Next(4, Math.Max(5, length))] ^= (byte)(1 << random.Next(8));
                }

                return length;
            case 2:
                return random.Next(4, length + 1);
            default:
                var tail = random.Next(0, datagram.Length - length);
                random.NextBytes(datagram.AsSpan(length, tail));
                return length + tail;
        }
    }
}
