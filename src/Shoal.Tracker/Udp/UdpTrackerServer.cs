using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;

namespace Shoal.Tracker.Udp;

/// <summary>
/// The BEP 15 tracker on one real UDP socket: several receive loops share the socket, each with its own buffers,
/// and hand every datagram to a <see cref="Bep15RequestHandler"/>; a timer sweeps expired peers out of the store.
/// </summary>
public sealed partial class UdpTrackerServer : IAsyncDisposable
{
    private const int DatagramBufferSize = 2048;

    private readonly Socket _socket;
    private readonly Bep15RequestHandler _handler;
    private readonly ITrackerStore _store;
    private readonly UdpTrackerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _loops = new();
    private readonly ITimer _sweepTimer;
    private readonly TimeProvider _time;

    private UdpTrackerServer(Socket socket, Bep15RequestHandler handler, ITrackerStore store, TimeProvider time, UdpTrackerOptions options, ILogger logger)
    {
        _socket = socket;
        _handler = handler;
        _store = store;
        _time = time;
        _options = options;
        _logger = logger;
        _sweepTimer = time.CreateTimer(_ => _ = SweepAsync(), null, options.SweepInterval, options.SweepInterval);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public TrackerCounters Counters => _handler.Counters;

    /// <summary>Binds <paramref name="bind"/> (an IPv6 "any" address takes IPv4 too) and starts answering.</summary>
    public static UdpTrackerServer Start(IPEndPoint bind, Bep15RequestHandler handler, ITrackerStore store, TimeProvider time, UdpTrackerOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(options);
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (bind.AddressFamily == AddressFamily.InterNetworkV6 && bind.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // A tracker takes bursts of announces; a larger receive buffer keeps the kernel from dropping them.
            socket.ReceiveBufferSize = 4 << 20;
            socket.Bind(bind);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var server = new UdpTrackerServer(socket, handler, store, time, options, logger ?? NullLogger.Instance);
        var loops = options.ReceiveLoops > 0 ? options.ReceiveLoops : Math.Max(2, Environment.ProcessorCount);
        for (var i = 0; i < loops; i++)
        {
            var thread = new Thread(server.ReceiveLoop) { IsBackground = true, Name = $"shoal-tracker-udp-{i}" };
            thread.Start();
            server._loops.Add(thread);
        }

        return server;
    }

    /// <summary>
    /// One receive loop on its own thread with blocking socket calls: on a busy tracker that is much cheaper than
    /// async continuations per datagram. A store that completes asynchronously (Redis) blocks only this loop.
    /// </summary>
    private void ReceiveLoop()
    {
        var receive = new byte[DatagramBufferSize];
        var send = new byte[DatagramBufferSize];
        var scratch = new HandlerScratch(_options.MaxPeersPerResponse);
        var address = new SocketAddress(_socket.AddressFamily);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(receive, SocketFlags.None, address);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }

                // ICMP errors from earlier sends surface here on some systems; they concern one peer, not the tracker.
                LogSocketError(_logger, e.SocketErrorCode);
                continue;
            }

            try
            {
                if (!PeerEndpoint.TryFromSocketAddress(address, out var from))
                {
                    continue;
                }

                var pending = _handler.HandleAsync(receive.AsMemory(0, received), from, send, scratch, token);
                var length = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
                if (length > 0)
                {
                    _socket.SendTo(send.AsSpan(0, length), SocketFlags.None, address);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
#pragma warning disable CA1031 // One bad request or a store hiccup must not stop the tracker: log and carry on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRequestFailed(_logger, e);
            }
        }
    }

    private async Task SweepAsync()
    {
        try
        {
            var removed = await _store.SweepAsync(_time.GetUtcNow(), _stop.Token).ConfigureAwait(false);
            if (removed > 0)
            {
                LogSwept(_logger, removed);
            }
        }
        catch (OperationCanceledException)
        {
        }
#pragma warning disable CA1031 // The next sweep retries; a failed one only leaves stale peers a little longer.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSweepFailed(_logger, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweepTimer.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        // Closing the socket wakes every blocked receive; join off the caller's thread.
        await Task.Run(() => _loops.ForEach(t => t.Join())).ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP receive failed with {Error}; carrying on.")]
    private static partial void LogSocketError(ILogger logger, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A tracker request failed; the tracker carries on.")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Swept {Count} expired peers.")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired peers failed; the next sweep will retry.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
