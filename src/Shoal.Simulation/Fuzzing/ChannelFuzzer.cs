using System.Buffers.Binary;
using System.Net;
using Shoal.Core.Identity;
using Shoal.Engine;
using Shoal.Engine.Channels;
using Shoal.Protocol;
using Shoal.Simulation.Packet;

namespace Shoal.Simulation.Fuzzing;

/// <summary>
/// Feeds random and mutated datagrams to two live <see cref="ChannelTable"/>s (one open channel on each side, aimed
/// at its real channel id and mostly from its real peer's address, so they get past routing into the channel's
/// state machine), checks that nothing throws and every poll runs dry, then that the tables still serve a new peer.
/// </summary>
public sealed class ChannelFuzzer(ChannelFuzzOptions options)
{
    private const int MaxDatagramsPerDrain = 10_000;
    private static readonly Rid SwarmId = Rid.ForUrl("https://fuzz.invalid/swarm");
    private static readonly SwarmHandshake Swarm = new(SwarmId);

    public ChannelFuzzReport Run(Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var seed = options.Seed;
        var network = new PacketNetwork(seed);
        var a = new Owner(new ChannelTable(null, new Random(seed * 7), Accept));
        var b = new Owner(new ChannelTable(null, new Random((seed * 7) + 1), Accept));
        var addressA = PacketNetwork.AddressOf(1);
        var addressB = PacketNetwork.AddressOf(2);
        network.AddHost(addressA, a, Ideal(), Ideal());
        network.AddHost(addressB, b, Ideal(), Ideal());
        var initiator = a.Table.Connect(network.Now, addressB, Swarm);
        SendChunks(initiator, 0, 128);
        network.RunUntil(() => b.Delivered >= 128, Instant.FromSeconds(10));
        if (b.Accepted.Count == 0)
        {
            return new ChannelFuzzReport { Seed = seed, FirstFailure = "the two tables never opened a channel before fuzzing" };
        }

        var responder = b.Accepted[0];
        var random = new Random(seed);
        var now = network.Now;
        var buffer = new byte[PacketNetwork.MaxDatagramSize];
        var datagram = new byte[PacketNetwork.MaxDatagramSize];
        var targets = new[] { (Owner: a, From: addressB), (Owner: b, From: addressA) };
        var live = new[] { initiator, responder };
        var opener = 0x7000_0000u;
        long crashes = 0, hangs = 0, reopened = 0;
        string? firstFailure = null;
        long i;
        for (i = 0; i < options.Iterations && !cancellationToken.IsCancellationRequested; i++)
        {
            var side = (int)(i & 1);
            var (owner, from) = targets[side];
            var length = 0;
            try
            {
                if (live[side].State == ChannelState.Closed)
                {
                    live[side] = Reopen(owner, from, now, opener++, buffer);
                    reopened++;
                }

                length = Mutate(random, live[side].LocalChannelId, datagram);
                owner.Receive(now, random.Next(8) == 0 ? new IPEndPoint(new IPAddress(random.Next()), random.Next(1, 65536)) : from, datagram.AsSpan(0, length));
                if ((i & 63) == 0)
                {
                    if (!Drain(owner.Table, now, buffer))
                    {
                        hangs++;
                        firstFailure ??= $"iteration {i}: TryPollTransmit did not run dry after {MaxDatagramsPerDrain} datagrams";
                    }

                    if (owner.Table.NextWakeUp is { } wake && wake <= now)
                    {
                        owner.WakeUp(now);
                    }
                }
            }
#pragma warning disable CA1031 // Counting every crash, whatever its type, is the point of a fuzzer.
            catch (Exception e)
#pragma warning restore CA1031
            {
                crashes++;
                firstFailure ??= $"iteration {i} (seed {seed}) on {Convert.ToHexString(datagram.AsSpan(0, length))}: {e}";
            }

            now += TimeSpan.FromMicroseconds(50);
            if ((i & 0xFFFF) == 0)
            {
                progress?.Invoke(i);
            }
        }

        var stillServes = StillServes(network, addressB, b, now);
        return new ChannelFuzzReport
        {
            Iterations = i,
            Seed = seed,
            Crashes = crashes,
            Hangs = hangs,
            Malformed = a.Table.MalformedDatagrams + b.Table.MalformedDatagrams,
            UnknownChannel = a.Table.UnknownChannelDatagrams + b.Table.UnknownChannelDatagrams,
            Refused = a.Table.RefusedHandshakes + b.Table.RefusedHandshakes,
            ChannelsReopened = reopened,
            StillServes = stillServes,
            FirstFailure = firstFailure,
        };
    }

    private static SwarmHandshake? Accept(InboundHandshake inbound) => inbound.SwarmId == SwarmId ? Swarm : null;

    private static Link Ideal() => new(LinkOptions.Ideal);

    /// <summary>The 1 KiB content of chunk <paramref name="index"/>.</summary>
    private static byte[] Chunk(ulong index)
    {
        var bytes = new byte[1024];
        new Random(unchecked((int)index)).NextBytes(bytes);
        return bytes;
    }

    private static void SendChunks(PeerChannel channel, ulong first, int count)
    {
        for (var c = first; c < first + (ulong)count; c++)
        {
            channel.SendData(ChunkSpec.Single(c), Chunk(c));
        }
    }

    private static bool StillServes(PacketNetwork network, IPEndPoint fuzzed, Owner fuzzedOwner, Instant now)
    {
        var fresh = new Owner(new ChannelTable(null, new Random(99), null));
        network.AddHost(PacketNetwork.AddressOf(3), fresh, Ideal(), Ideal());
        network.RunUntil(now);
        var before = fuzzedOwner.Delivered;
        var channel = fresh.Table.Connect(network.Now, fuzzed, Swarm);
        SendChunks(channel, 1_000_000, 10);
        return network.RunUntil(() => fuzzedOwner.Delivered >= before + 10, now + TimeSpan.FromSeconds(10));
    }

    private static bool Drain(ChannelTable table, Instant now, byte[] buffer)
    {
        var sent = 0;
        while (table.TryPollTransmit(now, buffer, out _, out _))
        {
            if (++sent >= MaxDatagramsPerDrain)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Opens a new inbound channel from <paramref name="from"/> with a clean handshake and confirms it.</summary>
    private static PeerChannel Reopen(Owner owner, IPEndPoint from, Instant now, uint opener, byte[] buffer)
    {
        var writer = new DatagramWriter(buffer, 0, WireFormat.Shoal);
        writer.TryWriteHandshake(opener, Handshake());
        owner.Receive(now, from, writer.Written);
        var channel = owner.Accepted[^1];
        var keepAlive = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(keepAlive, channel.LocalChannelId);
        owner.Receive(now, from, keepAlive);
        return channel;
    }

    private static HandshakeOptions Handshake() => new()
    {
        Version = VersionNegotiation.Rfc7574,
        MinimumVersion = VersionNegotiation.Rfc7574,
        SwarmId = SwarmId.ToArray(),
        ContentIntegrityProtectionMethod = ContentIntegrityProtectionMethod.MerkleHashTree,
        MerkleHashFunction = MerkleHashFunction.Sha256,
        ChunkAddressing = ChunkAddressingMethod.ChunkRanges32,
        ChunkSize = 1024,
    };

    /// <summary>A well-formed datagram of random messages for <paramref name="channel"/> (or channel 0), then randomly damaged.</summary>
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
        for (var m = random.Next(1, 4); m > 0; m--)
        {
            var start = (ulong)random.Next(0, 300);
            var spec = new ChunkSpec(start, start + (ulong)random.Next(0, random.Next(2) == 0 ? 2 : 5000));
            _ = random.Next(11) switch
            {
                0 => writer.TryWriteHandshake((uint)random.Next(), Handshake()),
                1 => writer.TryWriteData(ChunkSpec.Single(start), (ulong)random.NextInt64(), Chunk(start)),
                2 => writer.TryWriteAck(spec, random.Next(4) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.NextInt64(-1_000_000, 1_000_000)),
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

    /// <summary>A minimal owner: admits channels, drains every message after each input, counts DATA delivered.</summary>
    private sealed class Owner(ChannelTable table) : IDatagramEngine
    {
        public ChannelTable Table => table;

        public List<PeerChannel> Accepted { get; } = [];

        public long Delivered { get; private set; }

        public Instant? NextWakeUp => table.NextWakeUp;

        public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
        {
            table.Receive(now, from, datagram);
            Drain();
        }

        public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length) => table.TryPollTransmit(now, buffer, out to, out length);

        public void WakeUp(Instant now)
        {
            table.WakeUp(now);
            Drain();
        }

        private void Drain()
        {
            while (table.TryPollAccepted(out var channel))
            {
                Accepted.Add(channel);
            }

            foreach (var channel in table.Channels)
            {
                while (channel.TryPollMessage(out var message))
                {
                    if (message.Type == MessageType.Data)
                    {
                        Delivered++;
                    }
                }
            }
        }
    }
}
