using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Udp;

/// <summary>The request handler on a simulated clock: connection-id expiry and peer expiry, no sockets needed.</summary>
public sealed class Bep15RequestHandlerTests
{
    private static readonly Rid Channel = Rid.ForUrl("https://cdn.example/live/clock.m3u8");
    private static readonly PeerEndpoint Alice = PeerEndpoint.FromIPv4(0x0A000001, 5000);
    private static readonly PeerEndpoint Bob = PeerEndpoint.FromIPv4(0x0A000002, 5000);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly UdpTrackerOptions _options = new();
    private readonly InMemoryTrackerStore _store;
    private readonly Bep15RequestHandler _handler;
    private readonly HandlerScratch _scratch = new(50);
    private readonly byte[] _response = new byte[2048];

    public Bep15RequestHandlerTests()
    {
        _store = new InMemoryTrackerStore(_options.PeerLifetime, seed: 7);
        _handler = new Bep15RequestHandler(_store, new ConnectionIdIssuer(new byte[32], _time, _options), null, _time, _options);
    }

    private async Task<ulong> ConnectAsync(PeerEndpoint from)
    {
        var request = new byte[16];
        Bep15Codec.WriteConnectRequest(request, 1);
        var length = await _handler.HandleAsync(request, from, _response, _scratch, Ct);
        Assert.True(Bep15Codec.TryReadConnectResponse(_response.AsSpan(0, length), out _, out var id, out _));
        return id;
    }

    private async Task<(Bep15Action Action, int Length)> AnnounceAsync(ulong connectionId, PeerEndpoint from, long left = 0)
    {
        var request = new byte[Bep15Codec.AnnounceRequestLength];
        Bep15Codec.WriteAnnounceRequest(request, new AnnounceRequest(connectionId, 9, Channel, new PeerId(from.IPv4, 0, 0), 0, left, 0, AnnounceEvent.None, 0, 0, -1, from.Port));
        var length = await _handler.HandleAsync(request, from, _response, _scratch, Ct);
        return ((Bep15Action)BinaryPrimitives.ReadInt32BigEndian(_response), length);
    }

    [Fact]
    public async Task A_connection_id_works_for_two_minutes_then_earns_an_error_no_longer_than_the_request()
    {
        var id = await ConnectAsync(Alice);
        _time.Advance(TimeSpan.FromSeconds(115));
        Assert.Equal(Bep15Action.Announce, (await AnnounceAsync(id, Alice)).Action);

        _time.Advance(TimeSpan.FromSeconds(15));
        var (action, length) = await AnnounceAsync(id, Alice);
        Assert.Equal(Bep15Action.Error, action);
        Assert.True(length <= Bep15Codec.AnnounceRequestLength);
        Assert.Equal(Bep15Action.Error, (await AnnounceAsync(id, Bob)).Action);
    }

    [Fact]
    public async Task Peers_that_stop_announcing_leave_the_swarm_after_twice_the_interval()
    {
        await AnnounceAsync(await ConnectAsync(Alice), Alice);
        _time.Advance(_options.AnnounceInterval);
        var bobId = await ConnectAsync(Bob);
        var (_, length) = await AnnounceAsync(bobId, Bob, left: 10);
        Assert.Equal(Bep15Codec.AnnounceResponseHeaderLength + PeerEndpoint.IPv4CompactLength, length); // Alice is listed

        _time.Advance(_options.AnnounceInterval + TimeSpan.FromSeconds(1)); // Alice silent for 2 × interval + 1 s
        Assert.Equal(1, await _store.SweepAsync(_time.GetUtcNow(), Ct));
        (_, length) = await AnnounceAsync(await ConnectAsync(Bob), Bob, left: 10);
        Assert.Equal(Bep15Codec.AnnounceResponseHeaderLength, length);
        Assert.Equal(new SwarmCounts(0, 1, 0), await _store.ScrapeAsync(Channel, _time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task Short_or_foreign_datagrams_get_no_answer_at_all()
    {
        Assert.Equal(0, await _handler.HandleAsync(new byte[15], Alice, _response, _scratch, Ct));
        Assert.Equal(0, await _handler.HandleAsync(new byte[16], Alice, _response, _scratch, Ct)); // connect without the magic
        var unknown = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(unknown.AsSpan(8), 7);
        Assert.Equal(0, await _handler.HandleAsync(unknown, Alice, _response, _scratch, Ct));
        Assert.Equal(3, _handler.Counters.Rejected);
    }
}
