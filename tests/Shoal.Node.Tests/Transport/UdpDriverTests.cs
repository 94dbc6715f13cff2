using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Core.Identity;
using Shoal.Engine;
using Shoal.Engine.Channels;
using Shoal.Node.Transport;
using Shoal.Protocol;

namespace Shoal.Node.Tests.Transport;

/// <summary>Two real UDP sockets on loopback, each driven by a <see cref="UdpDriver"/> around a <see cref="ChannelTable"/>.</summary>
public sealed class UdpDriverTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private static readonly SwarmHandshake Swarm = new(Rid.ForUrl("https://origin.example/file.bin"));

    [Fact]
    public async Task Data_crosses_real_sockets_complete_and_intact()
    {
        const int Chunks = 2000;
        var receiver = new Owner(new ChannelTable(null, new Random(1), inbound => inbound.SwarmId == Swarm.SwarmId ? Swarm : null), Chunks);
        var sender = new Owner(new ChannelTable(null, new Random(2), null), 0);
        await using var receiving = new UdpDriver(receiver, new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, NullLogger<UdpDriver>.Instance);
        await using var sending = new UdpDriver(sender, new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, NullLogger<UdpDriver>.Instance);
        receiving.Start();
        sending.Start();

        sending.Invoke((_, now) =>
        {
            var channel = sender.Table.Connect(now, receiving.LocalEndPoint, Swarm);
            for (ulong i = 0; i < Chunks; i++)
            {
                channel.SendData(ChunkSpec.Single(i), Content(i));
            }
        });

        await receiver.Complete.WaitAsync(Guard, TestContext.Current.CancellationToken);
        Assert.Equal(Chunks, receiver.Delivered);
        Assert.Equal(0, receiver.Mismatched);
        Assert.True(sending.DatagramsSent >= Chunks);
        Assert.True(receiving.DatagramsReceived >= Chunks);
    }

    [Fact]
    public async Task Malformed_datagrams_are_survived_and_the_channel_keeps_working()
    {
        const int Chunks = 500;
        var receiver = new Owner(new ChannelTable(null, new Random(3), inbound => inbound.SwarmId == Swarm.SwarmId ? Swarm : null), Chunks);
        var sender = new Owner(new ChannelTable(null, new Random(4), null), 0);
        await using var receiving = new UdpDriver(receiver, new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, NullLogger<UdpDriver>.Instance);
        await using var sending = new UdpDriver(sender, new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, NullLogger<UdpDriver>.Instance);
        receiving.Start();
        sending.Start();

        using (var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            var random = new Random(5);
            var junk = new byte[1400];
            for (var i = 0; i < 2000; i++)
            {
                var length = random.Next(0, junk.Length);
                random.NextBytes(junk.AsSpan(0, length));
                if (i % 3 == 0 && length >= 4)
                {
                    junk.AsSpan(0, 4).Clear(); // channel 0: a broken opening handshake
                }

                attacker.SendTo(junk.AsSpan(0, length), SocketFlags.None, receiving.LocalEndPoint);
            }
        }

        sending.Invoke((_, now) =>
        {
            var channel = sender.Table.Connect(now, receiving.LocalEndPoint, Swarm);
            for (ulong i = 0; i < Chunks; i++)
            {
                channel.SendData(ChunkSpec.Single(i), Content(i));
            }
        });

        await receiver.Complete.WaitAsync(Guard, TestContext.Current.CancellationToken);
        Assert.Equal(Chunks, receiver.Delivered);
        Assert.Equal(0, receiver.Mismatched);
        var rejected = receiving.Invoke((_, _) => receiver.Table.MalformedDatagrams + receiver.Table.UnknownChannelDatagrams + receiver.Table.RefusedHandshakes);
        Assert.True(rejected > 0, "the junk reached the table and was turned away");
    }

    [Fact]
    public async Task The_engine_is_woken_when_its_timer_falls_due_on_the_drivers_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var engine = new Sleeper { WakeAt = Instant.FromSeconds(5) };
        await using var driver = new UdpDriver(engine, new IPEndPoint(IPAddress.Loopback, 0), time, NullLogger<UdpDriver>.Instance);
        driver.Start();

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Empty(engine.Wakes);
        time.Advance(TimeSpan.FromSeconds(0.2));

        var woken = Assert.Single(engine.Wakes);
        Assert.Equal(Instant.FromSeconds(5.1), woken);
    }

    /// <summary>An engine that only wants to be woken once.</summary>
    private sealed class Sleeper : IDatagramEngine
    {
        public Instant? WakeAt { get; set; }

        public List<Instant> Wakes { get; } = [];

        public Instant? NextWakeUp => WakeAt;

        public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
        {
        }

        public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length)
        {
            to = null!;
            length = 0;
            return false;
        }

        public void WakeUp(Instant now)
        {
            Wakes.Add(now);
            WakeAt = null;
        }
    }

    private static byte[] Content(ulong chunk)
    {
        var bytes = new byte[1024];
        new Random((int)chunk).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The owner: drains accepted channels and messages after every input, checks DATA against <see cref="Content"/>.</summary>
    private sealed class Owner(ChannelTable table, int expected) : IDatagramEngine
    {
        private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<PeerChannel> _channels = [];

        public ChannelTable Table => table;

        public Task Complete => _complete.Task;

        public int Delivered { get; private set; }

        public int Mismatched { get; private set; }

        public Instant? NextWakeUp => table.NextWakeUp;

        public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
        {
            table.Receive(now, from, datagram);
            while (table.TryPollAccepted(out var channel))
            {
                _channels.Add(channel);
            }

            foreach (var channel in _channels)
            {
                while (channel.TryPollMessage(out var message))
                {
                    if (message.Type != MessageType.Data)
                    {
                        continue;
                    }

                    Delivered++;
                    if (!message.Payload.Span.SequenceEqual(Content(message.Chunks.Start)))
                    {
                        Mismatched++;
                    }
                }
            }

            if (expected > 0 && Delivered >= expected)
            {
                _complete.TrySetResult();
            }
        }

        public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length) => table.TryPollTransmit(now, buffer, out to, out length);

        public void WakeUp(Instant now) => table.WakeUp(now);
    }
}
