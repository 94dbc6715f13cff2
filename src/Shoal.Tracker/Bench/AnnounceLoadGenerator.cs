using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Bench;

/// <summary>
/// A loopback load generator for any BEP 15 tracker: several client sockets, each connects once and then announces
/// in a closed loop (one request in flight), bounded in time and count; measures answered announces per second and
/// round-trip latency. Used by <c>shoal bench tracker</c> against Shoal's tracker and opentracker in the same run.
/// </summary>
public static class AnnounceLoadGenerator
{
    /// <summary>BEP 15: a client may use a connection id for one minute; reconnect a little before.</summary>
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(50);

    private const int ConnectAttempts = 20;
    private static readonly TimeSpan ConnectBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>The RIDs the load announces to (a whitelist for trackers that need one).</summary>
    public static IReadOnlyList<Rid> SwarmRids(int count) =>
        Enumerable.Range(0, count).Select(i => Rid.ForUrl($"https://bench.shoal.invalid/swarm/{i}")).ToList();

    public static async Task<AnnounceLoadResult> RunAsync(IPEndPoint tracker, AnnounceLoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(options);
        var rids = SwarmRids(options.Swarms);
        var shared = new SharedState(options.MaxAnnounces);
        var clients = Enumerable.Range(0, options.Clients).Select(i => new Client(i, tracker, rids, options, shared)).ToList();
        try
        {
            // Connect every client first, so the timed part measures announces only.
            await Task.WhenAll(clients.Select(c => Task.Run(c.Connect, cancellationToken))).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(options.Duration);
            var threads = clients.Select(c => new Thread(() => c.Run(stop.Token)) { IsBackground = true, Name = "announce-load" }).ToList();
            threads.ForEach(t => t.Start());
            await Task.Run(() => threads.ForEach(t => t.Join()), CancellationToken.None).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            return new AnnounceLoadResult(
                clients.Sum(c => c.Answered),
                clients.Sum(c => c.Lost),
                clients.Sum(c => c.Errors),
                clients.Sum(c => c.PeersReturned),
                elapsed,
                clients.SelectMany(c => c.LatenciesMs).ToList());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private sealed class SharedState(long budget)
    {
        private long _remaining = budget;

        public bool TakeOne() => Interlocked.Decrement(ref _remaining) >= 0;
    }

    private sealed class Client : IDisposable
    {
        private readonly Socket _socket;
        private readonly IReadOnlyList<Rid> _rids;
        private readonly AnnounceLoadOptions _options;
        private readonly SharedState _shared;
        private readonly int _index;
        private readonly byte[] _send = new byte[Bep15Codec.AnnounceRequestLength];
        private readonly byte[] _receive = new byte[2048];
        private ulong _connectionId;
        private long _connectedAt;
        private int _transaction;

        public Client(int index, IPEndPoint tracker, IReadOnlyList<Rid> rids, AnnounceLoadOptions options, SharedState shared)
        {
            _index = index;
            _rids = rids;
            _options = options;
            _shared = shared;
            _socket = new Socket(tracker.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            _socket.Connect(tracker);
            _socket.ReceiveTimeout = (int)options.ResponseTimeout.TotalMilliseconds;
            _transaction = index << 24;
        }

        public List<double> LatenciesMs { get; } = new();

        public long Answered { get; private set; }

        public long Lost { get; private set; }

        public long Errors { get; private set; }

        public long PeersReturned { get; private set; }

        public void Connect()
        {
            for (var attempt = 0; attempt < ConnectAttempts; attempt++)
            {
                var transaction = ++_transaction;
                var length = Bep15Codec.WriteConnectRequest(_send, transaction);
                _socket.Send(_send.AsSpan(0, length));
                if (TryReceive(transaction, out var received) && Bep15Codec.TryReadConnectResponse(_receive.AsSpan(0, received), out _, out _connectionId, out _))
                {
                    _connectedAt = Stopwatch.GetTimestamp();
                    return;
                }

                // A tracker process that has just started may not be bound yet (ICMP "refused" comes back at once): back off.
                Thread.Sleep(ConnectBackoff);
            }

            throw new TimeoutException($"The tracker at {_socket.RemoteEndPoint} did not answer a BEP 15 connect.");
        }

        public void Run(CancellationToken stop)
        {
            var random = new Random(_index);
            var ipv6 = _socket.AddressFamily == AddressFamily.InterNetworkV6;
            Span<byte> peerId = stackalloc byte[PeerId.Length];
            while (!stop.IsCancellationRequested && _shared.TakeOne())
            {
                if (Stopwatch.GetElapsedTime(_connectedAt) > ReconnectAfter)
                {
                    Connect();
                }

                var virtualPeer = random.Next(_options.PeersPerClient);
                "-SB0001-"u8.CopyTo(peerId);
                BinaryPrimitives.WriteInt32BigEndian(peerId[8..], _index);
                BinaryPrimitives.WriteInt32BigEndian(peerId[12..], virtualPeer);
                var transaction = ++_transaction;
                var request = new AnnounceRequest(
                    _connectionId, transaction, _rids[random.Next(_rids.Count)], PeerId.FromBytes(peerId),
                    0, virtualPeer % 4 == 0 ? 0 : 1_000_000, 0, AnnounceEvent.None, 0, (uint)virtualPeer, _options.NumWant,
                    (ushort)(10_000 + ((_index * _options.PeersPerClient) + virtualPeer) % 50_000));
                Bep15Codec.WriteAnnounceRequest(_send, request);
                var sent = Stopwatch.GetTimestamp();
                _socket.Send(_send);
                if (!TryReceive(transaction, out var received))
                {
                    Lost++;
                    continue;
                }

                LatenciesMs.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (Bep15Codec.TryReadAnnounceResponse(_receive.AsSpan(0, received), ipv6, out _, out var peers, out _))
                {
                    Answered++;
                    PeersReturned += peers.Length / (ipv6 ? PeerEndpoint.IPv6CompactLength : PeerEndpoint.IPv4CompactLength);
                }
                else
                {
                    Errors++;
                    if (received > 0 && BinaryPrimitives.ReadInt32BigEndian(_receive) == (int)Bep15Action.Error)
                    {
                        Connect();
                    }
                }
            }
        }

        /// <summary>Waits for the response to <paramref name="transaction"/>, skipping late answers to earlier ones.</summary>
        private bool TryReceive(int transaction, out int received)
        {
            while (true)
            {
                try
                {
                    received = _socket.Receive(_receive);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    received = 0;
                    return false;
                }

                if (received >= 8 && BinaryPrimitives.ReadInt32BigEndian(_receive.AsSpan(4)) == transaction)
                {
                    return true;
                }
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
