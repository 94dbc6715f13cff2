using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Core.Identity;
using Shoal.Engine;
using Shoal.Engine.Channels;
using Shoal.Node.Transport;
using Shoal.Protocol;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>
/// `shoal bench transport`: one sender and one receiver on loopback over real UDP sockets, through UdpDriver,
/// ChannelTable and PeerChannel (reliability + LEDBAT), every segment verified by SHA-256 at the receiver; first a
/// bare UDP blast of the same datagram size as the baseline.
/// </summary>
internal static class BenchTransportCommand
{
    private const int ChunkSize = 1024;
    private const int ChunksPerSegment = 4096;
    private const int SegmentSize = ChunkSize * ChunksPerSegment;
    private const int DistinctSegments = 8;
    private const long GiB = 1L << 30;

    /// <summary>The UDP payload of one DATA datagram: channel id, type, 32-bit chunk range, timestamp, one chunk (SEAMS.md).</summary>
    private const int DataDatagramSize = 4 + 1 + 8 + 8 + ChunkSize;

    /// <summary>DATA kept queued ahead of the congestion window, so the channel never starves for lack of payload.</summary>
    private const int QueueAheadChunks = 4096;

    private static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RawQuietPeriod = TimeSpan.FromMilliseconds(300);

    public static Command Create()
    {
        var size = new Option<long>("--size")
        {
            Description = "Bytes to transfer (rounded up to whole 4 MiB segments); 1 GiB by default.",
            DefaultValueFactory = _ => GiB,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command(
            "transport",
            "Send data over loopback through Shoal's UDP transport (channels, ACKs, LEDBAT), verified per segment by SHA-256, " +
            "and compare its goodput with a bare UDP blast of the same datagram size measured first in the same run.")
        {
            size,
            json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var bytes = parseResult.GetValue(size);
            if (bytes <= 0)
            {
                Console.Error.WriteLine("error: --size must be a positive number of bytes.");
                return 2;
            }

            try
            {
                var result = await RunAsync(bytes, cancellationToken);
                Print(result, parseResult.GetValue(json));
                return result.Verified ? 0 : 1;
            }
            catch (SocketException e)
            {
                Console.Error.WriteLine($"error: a loopback UDP socket failed ({e.SocketErrorCode}): {e.Message}");
                return 1;
            }
            catch (TimeoutException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private sealed record Result(
        long Bytes,
        double GoodputMbit,
        double RawUdpMbit,
        double RawUdpLossRate,
        double Seconds,
        double CpuSecondsPerGib,
        double RetransmitRate,
        long Segments,
        bool Verified,
        TimeSpan? SmoothedRtt);

    private static async Task<Result> RunAsync(long requested, CancellationToken cancellationToken)
    {
        var segments = (requested + SegmentSize - 1) / SegmentSize;
        var chunks = segments * ChunksPerSegment;
        var (rawMbit, rawLoss) = await Task.Run(() => MeasureRawUdp(chunks), cancellationToken);

        var content = new byte[DistinctSegments][];
        var digests = new byte[DistinctSegments][];
        var seeded = new Random(6778);
        for (var i = 0; i < DistinctSegments; i++)
        {
            content[i] = new byte[SegmentSize];
            seeded.NextBytes(content[i]);
            digests[i] = SHA256.HashData(content[i]);
        }

        var swarm = new SwarmHandshake(Rid.ForUrl("https://bench.invalid/transport"));
        var receiver = new Receiver(segments, digests, new ChannelTable(null, new Random(1), inbound => inbound.SwarmId == swarm.SwarmId ? swarm : null));
        var sender = new Sender(chunks, content, new ChannelTable(null, new Random(2), null));
        await using var receiverDriver = new UdpDriver(receiver, new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, NullLogger<UdpDriver>.Instance);
        await using var senderDriver = new UdpDriver(sender, new IPEndPoint(IPAddress.Loopback, 0), TimeProvider.System, NullLogger<UdpDriver>.Instance);
        receiverDriver.Start();
        senderDriver.Start();

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        senderDriver.Invoke((_, now) => sender.Connect(now, receiverDriver.LocalEndPoint, swarm));
        var finished = await Task.WhenAny(receiver.Done, Task.Delay(TransferTimeout, cancellationToken));
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        if (finished != receiver.Done)
        {
            throw new TimeoutException($"the transfer did not finish within {TransferTimeout.TotalMinutes} minutes ({receiver.SegmentsVerified}/{segments} segments verified).");
        }

        var stats = senderDriver.Invoke((_, now) => sender.Channel!.GetStatistics(now));
        var bytes = chunks * ChunkSize;
        var seconds = clock.Elapsed.TotalSeconds;
        return new Result(
            bytes,
            bytes * 8 / seconds / 1e6,
            rawMbit,
            rawLoss,
            seconds,
            cpu.TotalSeconds / ((double)bytes / GiB),
            stats.DataSent == 0 ? 0 : (double)stats.DataRetransmitted / stats.DataSent,
            receiver.SegmentsVerified,
            receiver.SegmentsVerified == segments && receiver.SegmentsCorrupt == 0,
            stats.SmoothedRtt);
    }

    /// <summary>The baseline: a bare socket sends as fast as it can, another counts what arrives.</summary>
    private static (double Mbit, double Loss) MeasureRawUdp(long datagrams)
    {
        using var receive = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = UdpDriverOptions.Default.SocketReceiveBufferBytes };
        using var send = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = UdpDriverOptions.Default.SocketSendBufferBytes };
        receive.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        send.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receive.ReceiveTimeout = (int)RawQuietPeriod.TotalMilliseconds;
        var target = ((IPEndPoint)receive.LocalEndPoint!).Serialize();
        long received = 0;
        long firstTicks = 0;
        long lastTicks = 0;
        var receiving = new Thread(() =>
        {
            var buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (true)
            {
                try
                {
                    receive.ReceiveFrom(buffer, SocketFlags.None, from);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
                {
                    return;
                }

                lastTicks = Stopwatch.GetTimestamp();
                if (received++ == 0)
                {
                    firstTicks = lastTicks;
                }
            }
        }) { IsBackground = true, Name = "raw-udp-receive" };
        receiving.Start();

        var datagram = new byte[DataDatagramSize];
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; i < datagrams; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(datagram, i);
            try
            {
                send.SendTo(datagram, SocketFlags.None, target);
            }
            catch (SocketException)
            {
                // A full buffer drops the datagram, as the wire would.
            }
        }

        receiving.Join();
        var seconds = Stopwatch.GetElapsedTime(Math.Min(start, firstTicks == 0 ? start : firstTicks), lastTicks).TotalSeconds;
        var mbit = seconds <= 0 ? 0 : received * (double)ChunkSize * 8 / seconds / 1e6;
        return (mbit, 1 - ((double)received / datagrams));
    }

    private static void Print(Result result, bool json)
    {
        var ratio = result.RawUdpMbit > 0 ? result.GoodputMbit / result.RawUdpMbit : 0;
        if (json)
        {
            var figures = new Dictionary<string, object?>
            {
                ["size_bytes"] = result.Bytes,
                ["duration_s"] = Math.Round(result.Seconds, 3),
                ["goodput_mbit_s"] = Math.Round(result.GoodputMbit, 1),
                ["raw_udp_mbit_s"] = Math.Round(result.RawUdpMbit, 1),
                ["raw_udp_loss_rate"] = Math.Round(result.RawUdpLossRate, 4),
                ["ratio_to_raw_udp"] = Math.Round(ratio, 3),
                ["cpu_s_per_gib"] = Math.Round(result.CpuSecondsPerGib, 2),
                ["retransmit_rate"] = Math.Round(result.RetransmitRate, 5),
                ["srtt_ms"] = result.SmoothedRtt is { } rtt ? Math.Round(rtt.TotalMilliseconds, 3) : null,
                ["segments_verified"] = result.Segments,
                ["verified"] = result.Verified,
            };
            Console.WriteLine(JsonSerializer.Serialize(figures));
            return;
        }

        var table = new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        table.AddRow("data", $"{F(result.Bytes / (double)GiB, "0.###")} GiB in {result.Segments} segments, SHA-256 verified: {(result.Verified ? "yes" : "NO")}");
        table.AddRow("raw UDP (baseline)", $"{F(result.RawUdpMbit, "0.0")} Mbit/s ({F(result.RawUdpLossRate * 100, "0.00")} % lost)");
        table.AddRow("Shoal goodput", $"{F(result.GoodputMbit, "0.0")} Mbit/s in {F(result.Seconds, "0.00")} s");
        table.AddRow("ratio to raw UDP", F(ratio, "0.000"));
        table.AddRow("CPU per GiB", $"{F(result.CpuSecondsPerGib, "0.00")} s");
        table.AddRow("retransmit rate", $"{F(result.RetransmitRate * 100, "0.000")} %");
        table.AddRow("smoothed RTT", result.SmoothedRtt is { } srtt ? $"{F(srtt.TotalMilliseconds, "0.000")} ms" : "n/a");
        AnsiConsole.Write(table);
    }

    /// <summary>The sending owner: opens the channel and keeps DATA queued ahead of the window until all is sent.</summary>
    private sealed class Sender(long chunks, byte[][] content, ChannelTable table) : IDatagramEngine
    {
        private long _nextChunk;

        public PeerChannel? Channel { get; private set; }

        public Instant? NextWakeUp => table.NextWakeUp;

        public void Connect(Instant now, IPEndPoint to, SwarmHandshake swarm)
        {
            Channel = table.Connect(now, to, swarm);
            TopUp();
        }

        public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
        {
            table.Receive(now, from, datagram);
            TopUp();
        }

        public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length) => table.TryPollTransmit(now, buffer, out to, out length);

        public void WakeUp(Instant now)
        {
            table.WakeUp(now);
            TopUp();
        }

        private void TopUp()
        {
            if (Channel is null)
            {
                return;
            }

            while (_nextChunk < chunks && Channel.BytesQueued < QueueAheadChunks * ChunkSize)
            {
                var segment = _nextChunk / ChunksPerSegment;
                var offset = (int)(_nextChunk % ChunksPerSegment) * ChunkSize;
                Channel.SendData(ChunkSpec.Single((ulong)_nextChunk), content[segment % DistinctSegments].AsMemory(offset, ChunkSize));
                _nextChunk++;
            }
        }
    }

    /// <summary>The receiving owner: accepts the channel, assembles each segment and checks its SHA-256.</summary>
    private sealed class Receiver(long segments, byte[][] digests, ChannelTable table) : IDatagramEngine
    {
        private readonly Dictionary<long, (byte[] Buffer, int Count)> _assembling = [];
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<PeerChannel> _channels = [];

        public Task Done => _done.Task;

        public long SegmentsVerified { get; private set; }

        public long SegmentsCorrupt { get; private set; }

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
                    if (message.Type == MessageType.Data)
                    {
                        OnData((long)message.Chunks.Start, message.Payload.Span);
                    }
                }
            }
        }

        public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length) => table.TryPollTransmit(now, buffer, out to, out length);

        public void WakeUp(Instant now) => table.WakeUp(now);

        private void OnData(long chunk, ReadOnlySpan<byte> payload)
        {
            var segment = chunk / ChunksPerSegment;
            if (!_assembling.TryGetValue(segment, out var entry))
            {
                entry = (new byte[SegmentSize], 0);
            }

            payload.CopyTo(entry.Buffer.AsSpan((int)(chunk % ChunksPerSegment) * ChunkSize));
            entry.Count++;
            if (entry.Count < ChunksPerSegment)
            {
                _assembling[segment] = entry;
                return;
            }

            _assembling.Remove(segment);
            if (SHA256.HashData(entry.Buffer).AsSpan().SequenceEqual(digests[segment % DistinctSegments]))
            {
                SegmentsVerified++;
            }
            else
            {
                SegmentsCorrupt++;
            }

            if (SegmentsVerified + SegmentsCorrupt == segments)
            {
                _done.TrySetResult();
            }
        }
    }
}
