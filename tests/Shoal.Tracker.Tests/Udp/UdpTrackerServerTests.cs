using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Core.Identity;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Tests.Support;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Udp;

public sealed class UdpTrackerServerTests
{
    private static readonly Rid Channel = Rid.ForUrl("https://cdn.example/live/channel1.m3u8");
    private static readonly UdpTrackerClientOptions FastRetries = new() { BaseTimeout = TimeSpan.FromMilliseconds(250), MaxAttempts = 4 };
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Peers_find_each_other_and_never_themselves()
    {
        await using var tracker = TestTracker.Start();
        await using var alice = new UdpTrackerClient(tracker.EndPoint, PeerId.NewRandom(), FastRetries);
        await using var bob = new UdpTrackerClient(tracker.EndPoint, PeerId.NewRandom(), FastRetries);

        var first = await alice.AnnounceAsync(Channel, 7001, TransferStats.Seeding(), AnnounceEvent.Started, cancellationToken: Ct);
        Assert.Empty(first.Peers);
        Assert.Equal((1, 0), (first.Seeders, first.Leechers));
        Assert.Equal(TimeSpan.FromSeconds(120), first.Interval);

        var second = await bob.AnnounceAsync(Channel, 7002, new TransferStats(0, 1000, 0), AnnounceEvent.Started, cancellationToken: Ct);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7001)], second.Peers);
        Assert.Equal((1, 1), (second.Seeders, second.Leechers));

        var again = await alice.AnnounceAsync(Channel, 7001, TransferStats.Seeding(), cancellationToken: Ct);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7002)], again.Peers);

        var scrape = await bob.ScrapeAsync([Channel, Rid.ForUrl("https://nobody.example/")], Ct);
        Assert.Equal([new ScrapeEntry(1, 0, 1), new ScrapeEntry(0, 0, 0)], scrape);

        await bob.AnnounceAsync(Channel, 7002, new TransferStats(0, 1000, 0), AnnounceEvent.Stopped, cancellationToken: Ct);
        Assert.Empty((await alice.AnnounceAsync(Channel, 7001, TransferStats.Seeding(), cancellationToken: Ct)).Peers);
    }

    [Fact]
    public async Task Hand_assembled_requests_get_BEP15_answers_and_bad_connection_ids_get_a_small_error()
    {
        await using var tracker = TestTracker.Start();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(tracker.EndPoint);
        var buffer = new byte[2048];

        byte[] connect = [0x00, 0x00, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80, 0, 0, 0, 0, 0, 0, 0x30, 0x39];
        var response = await ExchangeAsync(socket, connect, buffer);
        Assert.Equal(16, response.Length);
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(response));
        Assert.Equal(12345, BinaryPrimitives.ReadInt32BigEndian(response.AsSpan(4)));
        var connectionId = BinaryPrimitives.ReadUInt64BigEndian(response.AsSpan(8));

        var announce = new byte[98];
        BinaryPrimitives.WriteUInt64BigEndian(announce, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(announce.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32BigEndian(announce.AsSpan(12), 999);
        Channel.WriteTo(announce.AsSpan(16));
        "-TR2940-abcdefghijkl"u8.CopyTo(announce.AsSpan(36));
        BinaryPrimitives.WriteInt32BigEndian(announce.AsSpan(92), -1);
        BinaryPrimitives.WriteUInt16BigEndian(announce.AsSpan(96), 51413);
        response = await ExchangeAsync(socket, announce, buffer);
        Assert.Equal(20, response.Length); // alone in the swarm: header only
        Assert.Equal((1, 999, 120, 0, 1), (
            BinaryPrimitives.ReadInt32BigEndian(response),
            BinaryPrimitives.ReadInt32BigEndian(response.AsSpan(4)),
            BinaryPrimitives.ReadInt32BigEndian(response.AsSpan(8)),
            BinaryPrimitives.ReadInt32BigEndian(response.AsSpan(12)),
            BinaryPrimitives.ReadInt32BigEndian(response.AsSpan(16))));

        BinaryPrimitives.WriteUInt64BigEndian(announce, connectionId ^ 0x10);
        response = await ExchangeAsync(socket, announce, buffer);
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(response));
        Assert.True(response.Length <= announce.Length);
        Assert.StartsWith("connection id", System.Text.Encoding.UTF8.GetString(response.AsSpan(8)), StringComparison.Ordinal);
        Assert.True(tracker.Server.Counters.Rejected >= 1);
    }

    [Fact]
    public async Task Announce_responses_stay_within_the_amplification_budget()
    {
        var options = new UdpTrackerOptions { ReceiveLoops = 1 };
        await using var tracker = TestTracker.Start(options: options);
        for (var i = 0; i < 80; i++)
        {
            await using var client = new UdpTrackerClient(tracker.EndPoint, PeerId.NewRandom(), FastRetries);
            await client.AnnounceAsync(Channel, (ushort)(10000 + i), TransferStats.Seeding(), cancellationToken: Ct);
        }

        await using var greedy = new UdpTrackerClient(tracker.EndPoint, PeerId.NewRandom(), FastRetries);
        var result = await greedy.AnnounceAsync(Channel, 9, TransferStats.Seeding(), numWant: 10_000, cancellationToken: Ct);
        var responseBytes = Bep15Codec.AnnounceResponseHeaderLength + (result.Peers.Count * PeerEndpoint.IPv4CompactLength);
        Assert.True(responseBytes <= Bep15Codec.AnnounceRequestLength * options.MaxResponseToRequestRatio, $"{responseBytes} bytes");
        Assert.Equal(45, result.Peers.Count);
        Assert.Equal(result.Peers.Count, result.Peers.Distinct().Count());

        var byDefault = await greedy.AnnounceAsync(Channel, 9, TransferStats.Seeding(), cancellationToken: Ct);
        Assert.Equal(options.DefaultNumWant, byDefault.Peers.Count);
    }

    [Fact]
    public async Task Garbage_datagrams_do_not_stop_the_tracker()
    {
        await using var tracker = TestTracker.Start();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            var random = new Random(5);
            for (var i = 0; i < 500; i++)
            {
                var junk = new byte[random.Next(0, 200)];
                random.NextBytes(junk);
                await socket.SendToAsync(junk, SocketFlags.None, tracker.EndPoint, Ct);
            }
        }

        await using var client = new UdpTrackerClient(tracker.EndPoint, PeerId.NewRandom(), FastRetries);
        var result = await client.AnnounceAsync(Channel, 7001, TransferStats.Seeding(), cancellationToken: Ct);
        Assert.Equal(1, result.Seeders);
    }

    private static async Task<byte[]> ExchangeAsync(Socket socket, byte[] request, byte[] buffer)
    {
        await socket.SendAsync(request, SocketFlags.None, Ct);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(10));
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
        return buffer[..length];
    }
}
