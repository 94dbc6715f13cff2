using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;
using Shoal.Tracker.SuperPeers;

namespace Shoal.Tracker.Udp;

/// <summary>
/// Answers one BEP 15 request datagram with at most one response datagram, without touching a socket: checks the
/// connection id, records announces in the store, builds peer lists with <see cref="PeerListPolicy"/>, and keeps
/// every response within the anti-amplification budget.
/// </summary>
public sealed class Bep15RequestHandler
{
    private const string BadConnectionIdMessage = "connection id expired or invalid";
    private const string MalformedMessage = "malformed request";

    private readonly ITrackerStore _store;
    private readonly ConnectionIdIssuer _connectionIds;
    private readonly SuperPeerRegistry? _superPeers;
    private readonly TimeProvider _time;
    private readonly UdpTrackerOptions _options;
    private readonly PeerListPolicy _policy;
    private readonly int _interval;

    public Bep15RequestHandler(ITrackerStore store, ConnectionIdIssuer connectionIds, SuperPeerRegistry? superPeers, TimeProvider time, UdpTrackerOptions options)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _connectionIds = connectionIds ?? throw new ArgumentNullException(nameof(connectionIds));
        _superPeers = superPeers;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _policy = new PeerListPolicy(options.SuperPeerShare, options.NearbyShare);
        _interval = (int)options.AnnounceInterval.TotalSeconds;
    }

    public TrackerCounters Counters { get; } = new();

    /// <summary>
    /// Handles <paramref name="request"/> from <paramref name="from"/>; writes the response into
    /// <paramref name="response"/> (at least 1500 bytes) and returns its length, or 0 when nothing should be sent.
    /// </summary>
    public ValueTask<int> HandleAsync(ReadOnlyMemory<byte> request, PeerEndpoint from, Memory<byte> response, HandlerScratch scratch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        if (!Bep15Codec.TryReadRequestHeader(request.Span, out var connectionId, out var action, out var transactionId, out _))
        {
            // Too short to carry a transaction id, or not a BEP 15 request at all: silence is the only safe answer.
            Counters.Reject();
            return ValueTask.FromResult(0);
        }

        if (action == Bep15Action.Connect)
        {
            Counters.Connect();
            return ValueTask.FromResult(Bep15Codec.WriteConnectResponse(response.Span, transactionId, _connectionIds.Issue(from)));
        }

        if (!_connectionIds.IsValid(connectionId, from))
        {
            Counters.Reject();
            return ValueTask.FromResult(Error(request.Length, transactionId, BadConnectionIdMessage, response.Span));
        }

        return action == Bep15Action.Announce
            ? AnnounceAsync(request, from, response, scratch, transactionId, cancellationToken)
            : ScrapeAsync(request, response, transactionId, cancellationToken);
    }

    /// <summary>Largest number of peers an announce of <paramref name="requestLength"/> bytes may get back.</summary>
    public int PeerBudget(int requestLength, bool ipv6)
    {
        var maxBytes = (int)(requestLength * _options.MaxResponseToRequestRatio);
        var entry = ipv6 ? PeerEndpoint.IPv6CompactLength : PeerEndpoint.IPv4CompactLength;
        return Math.Clamp((maxBytes - Bep15Codec.AnnounceResponseHeaderLength) / entry, 0, _options.MaxPeersPerResponse);
    }

    private async ValueTask<int> AnnounceAsync(ReadOnlyMemory<byte> request, PeerEndpoint from, Memory<byte> response, HandlerScratch scratch, int transactionId, CancellationToken cancellationToken)
    {
        if (!Bep15Codec.TryReadAnnounceRequest(request.Span, out var announce, out _))
        {
            Counters.Reject();
            return Error(request.Length, transactionId, MalformedMessage, response.Span);
        }

        Counters.Announce();
        var now = _time.GetUtcNow();
        // BEP 15 lets the tracker ignore the ip field; using only the source address keeps one host from
        // announcing another (a spoofed address could not have received the connection id anyway).
        var port = announce.Port != 0 ? announce.Port : from.Port;
        var peer = new PeerRecord(
            new PeerEndpoint(from.Address, port),
            announce.PeerId,
            Math.Max(0, announce.Left),
            _superPeers?.IsSuper(announce.PeerId) ?? false,
            now.ToUnixTimeMilliseconds());
        var ipv6 = !from.IsIPv4;
        var want = announce.NumWant < 0 ? _options.DefaultNumWant : announce.NumWant;
        want = Math.Min(want, PeerBudget(request.Length, ipv6));
        if (announce.Event == AnnounceEvent.Stopped)
        {
            want = 0;
        }

        scratch.Sample.Clear();
        var counts = await _store.AnnounceAsync(
            announce.InfoHash,
            peer,
            announce.Event,
            want == 0 ? 0 : Math.Min(want * 4, _options.CandidateSampleSize),
            scratch.Sample,
            now,
            cancellationToken).ConfigureAwait(false);
        var chosen = _policy.Choose(peer, scratch.Sample, ipv6, scratch.Peers.AsSpan(0, Math.Min(want, scratch.Peers.Length)));
        var header = new AnnounceResponseHeader(transactionId, _interval, counts.Leechers, counts.Seeders);
        return Bep15Codec.WriteAnnounceResponse(response.Span, header, scratch.Peers.AsSpan(0, chosen), ipv6);
    }

    private async ValueTask<int> ScrapeAsync(ReadOnlyMemory<byte> request, Memory<byte> response, int transactionId, CancellationToken cancellationToken)
    {
        if (!Bep15Codec.TryReadScrapeRequest(request.Span, out _, out _, out var hashes, out _))
        {
            Counters.Reject();
            return Error(request.Length, transactionId, MalformedMessage, response.Span);
        }

        Counters.Scrape();
        var count = hashes.Length / Rid.Length;
        var hashOffset = Bep15Codec.ScrapeRequestHeaderLength;
        var now = _time.GetUtcNow();
        var entries = new ScrapeEntry[count];
        for (var i = 0; i < count; i++)
        {
            var rid = Rid.FromBytes(request.Span.Slice(hashOffset + (i * Rid.Length), Rid.Length));
            var counts = await _store.ScrapeAsync(rid, now, cancellationToken).ConfigureAwait(false);
            entries[i] = new ScrapeEntry(counts.Seeders, counts.Completed, counts.Leechers);
        }

        return Bep15Codec.WriteScrapeResponse(response.Span, transactionId, entries);
    }

    /// <summary>An error response, never longer than the request that caused it (no amplification).</summary>
    private static int Error(int requestLength, int transactionId, string message, Span<byte> response) =>
        Bep15Codec.WriteError(response[..Math.Max(Bep15Codec.ErrorHeaderLength, Math.Min(requestLength, response.Length))], transactionId, message);
}
