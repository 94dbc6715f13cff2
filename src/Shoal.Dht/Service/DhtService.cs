using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shoal.Core.Identity;
using Shoal.Dht.Ids;
using Shoal.Dht.Lookups;

namespace Shoal.Dht.Service;

/// <summary>
/// The real-UDP driver of a <see cref="DhtNode"/>, and the small client API the Shoal node uses: start on a port,
/// bootstrap, announce a RID, get the peers of a RID. One socket, one receive loop, one timer from the
/// <see cref="TimeProvider"/>; every call into the node happens under one lock, so the node stays single-threaded.
/// </summary>
public sealed class DhtService : IAsyncDisposable
{
    private const int ReceiveBufferBytes = 65_536;

    // Room in the kernel for bursts of lookup answers (and floods) while the loop catches up.
    private const int SocketBufferBytes = 1 << 20;

    private readonly object _gate = new();
    private readonly Socket _socket;
    private readonly DhtNode _node;
    private readonly TimeProvider _time;
    private readonly DhtServiceOptions _options;
    private readonly long _epoch;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<int, TaskCompletionSource<DhtLookupResult>> _waiting = [];
    private readonly List<TaskCompletionSource> _idleWaiters = [];
    private readonly Task _receiveLoop;

    private DhtService(Socket socket, DhtServiceOptions options, TimeProvider time)
    {
        _socket = socket;
        _options = options;
        _time = time;
        _epoch = time.GetTimestamp();
        var random = new Random(options.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue));
        _node = new DhtNode(NodeId.Random(random), options.Node, random, Now);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        lock (_gate)
        {
            FlushLocked();
        }
    }

    /// <summary>The bound address and port (the real port when bound to port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    public NodeId Id => _node.Id;

    private TimeSpan Now => _time.GetElapsedTime(_epoch);

    /// <summary>Binds the UDP socket (IPv4) and starts serving the DHT.</summary>
    public static DhtService Start(DhtServiceOptions? options = null, TimeProvider? time = null)
    {
        options ??= new DhtServiceOptions();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = SocketBufferBytes;
            socket.Bind(options.Bind);
            return new DhtService(socket, options, time ?? TimeProvider.System);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Joins through the given nodes; returns how many nodes the routing table holds afterwards.</summary>
    public async Task<int> BootstrapAsync(IEnumerable<IPEndPoint> endPoints, CancellationToken cancellationToken = default)
    {
        await RunLookupAsync(now => _node.Bootstrap(now, endPoints), cancellationToken);
        lock (_gate)
        {
            return _node.Routing.Count;
        }
    }

    /// <summary>Announces that this host serves <paramref name="rid"/> on <paramref name="port"/>; returns how many nodes accepted it.</summary>
    public async Task<int> AnnounceAsync(Rid rid, int port, CancellationToken cancellationToken = default)
    {
        var result = await RunLookupAsync(now => _node.StartAnnounce(now, NodeId.FromRid(rid), port), cancellationToken);
        return result.AnnouncedTo;
    }

    /// <summary>
    /// Announces <paramref name="rid"/> now and again every <see cref="DhtServiceOptions.ReannounceInterval"/>
    /// until cancelled, so the entry never expires at the nodes that store it. <paramref name="onAnnounced"/>
    /// hears how many nodes accepted each round; a round that fails (a time-out) is retried at the next one.
    /// </summary>
    public async Task KeepAnnouncingAsync(Rid rid, int port, Action<int>? onAnnounced = null, CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            int acks;
            try
            {
                acks = await AnnounceAsync(rid, port, cancellationToken);
            }
            catch (TimeoutException)
            {
                acks = 0;
            }

            // The next round's timer is set before anyone hears of this round, so whoever reacts to it (a test that then
            // moves a fake clock on) finds the timer already running; set after, it could miss the move and wait a round more.
            var next = Task.Delay(_options.ReannounceInterval, _time, cancellationToken);
            onAnnounced?.Invoke(acks);
            await next;
        }
    }

    /// <summary>The peers the DHT knows for <paramref name="rid"/> (possibly none).</summary>
    public async Task<IReadOnlyList<IPEndPoint>> GetPeersAsync(Rid rid, CancellationToken cancellationToken = default)
    {
        var result = await RunLookupAsync(now => _node.StartGetPeers(now, NodeId.FromRid(rid)), cancellationToken);
        return result.Peers;
    }

    /// <summary>
    /// Completes when no lookup runs and no query awaits its answer: background work (the bucket refreshes that
    /// follow a join, eviction pings) has settled. Tests that move a fake clock wait for this first, so the jump
    /// does not time out queries whose answers are merely slow.
    /// </summary>
    internal Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_node.ActiveLookups == 0 && _node.PendingQueries == 0)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idleWaiters.Add(waiter);
            return waiter.Task;
        }
    }

    /// <summary>A consistent snapshot of the node's figures.</summary>
    public DhtServiceStatus GetStatus()
    {
        lock (_gate)
        {
            var c = _node.Counters;
            return new DhtServiceStatus(_node.Id, LocalEndPoint, _node.Routing.Count, _node.Peers.InfoHashCount, c.DatagramsReceived, c.QueriesAnswered, c.QueriesSent, c.DroppedMalformed, c.DroppedRateLimited, c.DroppedOversized);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _socket.Dispose();
        await _timer.DisposeAsync();
        try
        {
            await _receiveLoop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation; nothing to report.
        }

        lock (_gate)
        {
            foreach (var waiting in _waiting.Values)
            {
                waiting.TrySetCanceled();
            }

            _waiting.Clear();
        }

        _stopping.Dispose();
    }

    private async Task<DhtLookupResult> RunLookupAsync(Func<TimeSpan, int> start, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var completion = new TaskCompletionSource<DhtLookupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var id = start(Now);
            _waiting[id] = completion;
            FlushLocked();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(_options.LookupTimeout);
        try
        {
            return await completion.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            throw new TimeoutException($"A DHT lookup did not finish within {_options.LookupTimeout}.");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[ReceiveBufferBytes];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error from an earlier send (a node that went away) surfaces here; keep serving.
                continue;
            }

            lock (_gate)
            {
                _node.Receive(Now, (IPEndPoint)received.RemoteEndPoint, buffer.AsSpan(0, received.ReceivedBytes));
                FlushLocked();
            }
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _node.WakeUp(Now);
            FlushLocked();
        }
    }

    // Sends what the node queued, hands finished lookups to their waiters, and re-arms the timer.
    private void FlushLocked()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        while (_node.TryPollTransmit(out var to, out var datagram))
        {
            try
            {
                _socket.SendTo(datagram.Span, SocketFlags.None, to);
            }
            catch (Exception e) when (e is SocketException or ArgumentException)
            {
                // A full send buffer, an unreachable network or an address of the wrong family (an IPv6
                // bootstrap endpoint on this IPv4 socket): the query times out and the node moves on.
            }
        }

        while (_node.TryPollResult(out var result))
        {
            if (_waiting.Remove(result.LookupId, out var waiting))
            {
                waiting.TrySetResult(result);
            }
        }

        if (_idleWaiters.Count > 0 && _node.ActiveLookups == 0 && _node.PendingQueries == 0)
        {
            foreach (var waiter in _idleWaiters)
            {
                waiter.TrySetResult();
            }

            _idleWaiters.Clear();
        }

        var due = _node.NextWakeUp - Now;
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
