using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Client;

/// <summary>
/// A BEP 15 client for one tracker: connect (and reuse the connection id for a minute), announce and scrape,
/// retransmitting after 15 · 2^n seconds as BEP 15 prescribes. Works against Shoal's tracker and any standard
/// BitTorrent UDP tracker. Requests from concurrent callers are sent one after another.
/// </summary>
public sealed class UdpTrackerClient : ITrackerClient
{
    private const int BufferSize = 2048;

    private readonly Socket _socket;
    private readonly PeerId _peerId;
    private readonly UdpTrackerClientOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _send = new byte[BufferSize];
    private readonly byte[] _receive = new byte[BufferSize];
    private readonly bool _ipv6;
    private ulong _connectionId;
    private DateTimeOffset _connectionIdExpires = DateTimeOffset.MinValue;

    public UdpTrackerClient(IPEndPoint tracker, PeerId peerId, UdpTrackerClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        _peerId = peerId;
        _options = options ?? new UdpTrackerClientOptions();
        _time = time ?? TimeProvider.System;
        _socket = new Socket(tracker.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(tracker);
        _ipv6 = tracker.AddressFamily == AddressFamily.InterNetworkV6 && !tracker.Address.IsIPv4MappedToIPv6;
        Tracker = tracker;
    }

    public IPEndPoint Tracker { get; }

    public PeerId PeerId => _peerId;

    public async Task<AnnounceResult> AnnounceAsync(Rid rid, ushort port, TransferStats stats, AnnounceEvent announceEvent = AnnounceEvent.None, int numWant = -1, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var retry = 0; ; retry++)
            {
                var connectionId = await ConnectIfNeededAsync(cancellationToken).ConfigureAwait(false);
                var transactionId = NewTransactionId();
                var request = new AnnounceRequest(connectionId, transactionId, rid, _peerId, stats.Downloaded, stats.Left, stats.Uploaded, announceEvent, 0, _options.Key, numWant, port);
                var length = Bep15Codec.WriteAnnounceRequest(_send, request);
                var received = await ExchangeAsync(length, transactionId, cancellationToken).ConfigureAwait(false);
                if (IsError(received, out var message))
                {
                    if (retry == 0)
                    {
                        // Most errors mean our connection id is stale (tracker restarted, clock step): reconnect once.
                        _connectionIdExpires = DateTimeOffset.MinValue;
                        continue;
                    }

                    throw new TrackerException($"The tracker {Tracker} refused the announce: {message}");
                }

                if (received == Bep15Codec.ErrorHeaderLength)
                {
                    // opentracker answers only action and transaction id when an info-hash is not on its whitelist.
                    throw new TrackerException($"The tracker {Tracker} does not track {rid} (empty announce response: a private tracker's whitelist?).");
                }

                if (!Bep15Codec.TryReadAnnounceResponse(_receive.AsSpan(0, received), _ipv6, out var header, out var peerBytes, out var error))
                {
                    throw new TrackerException($"The tracker {Tracker} sent a malformed announce response ({error}).");
                }

                var entry = _ipv6 ? PeerEndpoint.IPv6CompactLength : PeerEndpoint.IPv4CompactLength;
                var peers = new List<IPEndPoint>(peerBytes.Length / entry);
                for (var offset = 0; offset < peerBytes.Length; offset += entry)
                {
                    peers.Add(PeerEndpoint.ReadCompact(peerBytes[offset..], _ipv6).ToIPEndPoint());
                }

                return new AnnounceResult(TimeSpan.FromSeconds(Math.Max(0, header.Interval)), header.Seeders, header.Leechers, peers);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<ScrapeEntry>> ScrapeAsync(IReadOnlyList<Rid> rids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rids);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var retry = 0; ; retry++)
            {
                var connectionId = await ConnectIfNeededAsync(cancellationToken).ConfigureAwait(false);
                var transactionId = NewTransactionId();
                var length = Bep15Codec.WriteScrapeRequest(_send, connectionId, transactionId, rids.ToArray());
                var received = await ExchangeAsync(length, transactionId, cancellationToken).ConfigureAwait(false);
                if (IsError(received, out var message))
                {
                    if (retry == 0)
                    {
                        _connectionIdExpires = DateTimeOffset.MinValue;
                        continue;
                    }

                    throw new TrackerException($"The tracker {Tracker} refused the scrape: {message}");
                }

                if (!Bep15Codec.TryReadScrapeResponse(_receive.AsSpan(0, received), out _, out var entries, out var error)
                    || entries.Length / Bep15Codec.ScrapeEntryLength != rids.Count)
                {
                    throw new TrackerException($"The tracker {Tracker} sent a malformed scrape response ({error}).");
                }

                var result = new ScrapeEntry[rids.Count];
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = Bep15Codec.ReadScrapeEntry(entries[(i * Bep15Codec.ScrapeEntryLength)..]);
                }

                return result;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ulong> ConnectIfNeededAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() < _connectionIdExpires)
        {
            return _connectionId;
        }

        var transactionId = NewTransactionId();
        var length = Bep15Codec.WriteConnectRequest(_send, transactionId);
        var received = await ExchangeAsync(length, transactionId, cancellationToken).ConfigureAwait(false);
        if (IsError(received, out var message))
        {
            throw new TrackerException($"The tracker {Tracker} refused to connect: {message}");
        }

        if (!Bep15Codec.TryReadConnectResponse(_receive.AsSpan(0, received), out _, out var connectionId, out var error))
        {
            throw new TrackerException($"The tracker {Tracker} sent a malformed connect response ({error}).");
        }

        _connectionId = connectionId;
        _connectionIdExpires = _time.GetUtcNow() + _options.ConnectionIdLifetime;
        return connectionId;
    }

    /// <summary>Sends the request in <c>_send</c> and waits for the response with the same transaction id, retransmitting per BEP 15.</summary>
    private async Task<int> ExchangeAsync(int length, int transactionId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            await _socket.SendAsync(_send.AsMemory(0, length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(_options.BaseTimeout * Math.Pow(2, attempt), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                while (true)
                {
                    int received;
                    try
                    {
                        received = await _socket.ReceiveAsync(_receive, SocketFlags.None, linked.Token).ConfigureAwait(false);
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                    {
                        // ICMP port unreachable: nobody listens yet; treat it like silence and let the timer decide.
                        await Task.Delay(Timeout.InfiniteTimeSpan, _time, linked.Token).ConfigureAwait(false);
                        continue;
                    }

                    // A stale answer to an earlier attempt or request carries another transaction id: skip it.
                    if (Bep15Codec.TryReadResponseHeader(_receive.AsSpan(0, received), out _, out var answered, out _) && answered == transactionId)
                    {
                        return received;
                    }
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
            }
        }

        throw new TrackerException($"The tracker {Tracker} did not answer after {_options.MaxAttempts} attempts.");
    }

    private bool IsError(int received, out string message)
    {
        message = string.Empty;
        return Bep15Codec.TryReadResponseHeader(_receive.AsSpan(0, received), out var action, out _, out _)
            && action == Bep15Action.Error
            && Bep15Codec.TryReadError(_receive.AsSpan(0, received), out _, out message, out _);
    }

    private static int NewTransactionId()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
