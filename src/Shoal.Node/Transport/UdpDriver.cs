using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Shoal.Engine;

namespace Shoal.Node.Transport;

/// <summary>
/// The real body of a sans-IO engine: one UDP socket, a receive loop over a pooled buffer, allocation-free sends,
/// and one timer from a <see cref="TimeProvider"/> armed for the engine's <see cref="IDatagramEngine.NextWakeUp"/>.
/// </summary>
/// <remarks>
/// <para>The engine is not thread-safe; the driver touches it only under one lock: for each datagram received
/// (<see cref="IDatagramEngine.Receive"/>), when the timer fires (<see cref="IDatagramEngine.WakeUp"/>), and inside
/// <see cref="Invoke"/>, which is how the owner talks to the engine. After each of these it drains
/// <see cref="IDatagramEngine.TryPollTransmit"/> onto the socket and re-arms the timer.</para>
/// <para>Addresses cross the socket as <see cref="SocketAddress"/> (the .NET 8 overloads that allocate nothing per
/// datagram) and are translated to the engine's <see cref="IPEndPoint"/> through a bounded cache.</para>
/// <para>Nothing a peer sends can stop the loop: socket errors and exceptions from the engine are logged and the
/// loop carries on.</para>
/// </remarks>
public sealed partial class UdpDriver : IAsyncDisposable
{
    private readonly IDatagramEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly UdpDriverOptions _options;
    private readonly Socket _socket;
    private readonly Lock _gate = new();
    private readonly long _origin;
    private readonly byte[] _receiveBuffer;
    private readonly byte[] _transmitBuffer;
    private readonly SocketAddress _receiveAddress;
    private readonly Dictionary<SocketAddress, IPEndPoint> _endPoints = [];
    private readonly Dictionary<IPEndPoint, SocketAddress> _socketAddresses = [];
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _stop = new();
    private Instant? _armedWake;
    private Task? _receiveLoop;
    private int _disposed;

    public UdpDriver(IDatagramEngine engine, IPEndPoint bindTo, TimeProvider time, ILogger<UdpDriver> logger, UdpDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(bindTo);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _engine = engine;
        _time = time;
        _logger = logger;
        _options = options ?? UdpDriverOptions.Default;
        _origin = time.GetTimestamp();
        _socket = new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = _options.SocketReceiveBufferBytes,
            SendBufferSize = _options.SocketSendBufferBytes,
        };
        _socket.Bind(bindTo);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _receiveBuffer = ArrayPool<byte>.Shared.Rent(_options.MaxDatagramSize);
        _transmitBuffer = ArrayPool<byte>.Shared.Rent(_options.MaxDatagramSize);
        _receiveAddress = new SocketAddress(bindTo.AddressFamily);
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The bound address (the real port when bound to port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams received from the socket.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagramsReceived);

    /// <summary>Datagrams handed to the socket.</summary>
    public long DatagramsSent => Interlocked.Read(ref _datagramsSent);

    /// <summary>Datagrams the kernel refused to send (buffer full, unreachable).</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    private long _datagramsReceived;
    private long _datagramsSent;
    private long _sendErrors;

    /// <summary>The engine clock: microseconds since this driver was created.</summary>
    public Instant Now => new(Instant.ToMicroseconds(_time.GetElapsedTime(_origin)));

    /// <summary>Starts the receive loop and arms the first timer.</summary>
    public void Start()
    {
        if (_receiveLoop is not null)
        {
            throw new InvalidOperationException("The driver is already running.");
        }

        Invoke(static (_, _) => { });
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Runs <paramref name="action"/> on the engine under the driver's lock, then sends what it queued.</summary>
    public void Invoke(Action<IDatagramEngine, Instant> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            action(_engine, Now);
            FlushLocked();
        }
    }

    /// <summary>Runs <paramref name="func"/> on the engine under the driver's lock, then sends what it queued.</summary>
    public T Invoke<T>(Func<IDatagramEngine, Instant, T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        lock (_gate)
        {
            var result = func(_engine, Now);
            FlushLocked();
            return result;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var token = _stop.Token;
        var buffer = _receiveBuffer.AsMemory(0, _options.MaxDatagramSize);
        while (!token.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, _receiveAddress, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP errors surface here on some platforms; they say nothing about the next datagram.
                LogReceiveError(_logger, e.SocketErrorCode, e);
                continue;
            }

            Interlocked.Increment(ref _datagramsReceived);
            lock (_gate)
            {
                var from = EndPointOf(_receiveAddress);
                try
                {
                    _engine.Receive(Now, from, _receiveBuffer.AsSpan(0, length));
                }
#pragma warning disable CA1031 // The loop must outlive any bug an attacker's datagram could reach.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogEngineFailure(_logger, from, length, e);
                }

                FlushLocked();
            }
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            _armedWake = null;
            try
            {
                _engine.WakeUp(Now);
            }
#pragma warning disable CA1031 // A timer callback that throws would take the process down.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTimerFailure(_logger, e);
            }

            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        if (_disposed != 0)
        {
            return;
        }

        var buffer = _transmitBuffer.AsSpan(0, _options.MaxDatagramSize);
        var now = Now;
        while (true)
        {
            IPEndPoint to;
            int length;
            try
            {
                if (!_engine.TryPollTransmit(now, buffer, out to, out length))
                {
                    break;
                }
            }
#pragma warning disable CA1031 // See ReceiveLoopAsync.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTimerFailure(_logger, e);
                break;
            }

            try
            {
                _socket.SendTo(buffer[..length], SocketFlags.None, SocketAddressOf(to));
                _datagramsSent++;
            }
            catch (SocketException e)
            {
                _sendErrors++;
                LogSendError(_logger, to, e.SocketErrorCode);
            }
        }

        // A later wake-up than the armed one leaves the timer alone: it fires early, finds nothing due and re-arms.
        // That spares a timer-queue update per datagram on a busy channel, where the RTO deadline moves with every ACK.
        var wake = _engine.NextWakeUp;
        if (wake == _armedWake || (wake is { } later && _armedWake is { } armed && later > armed))
        {
            return;
        }

        _armedWake = wake;
        if (wake is { } at && at != Instant.MaxValue)
        {
            var due = at - now;
            _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private IPEndPoint EndPointOf(SocketAddress address)
    {
        if (_endPoints.TryGetValue(address, out var known))
        {
            return known;
        }

        TrimCaches();
        var endPoint = (IPEndPoint)new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);
        var key = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(key.Buffer.Span);
        _endPoints[key] = endPoint;
        _socketAddresses[endPoint] = key;
        return endPoint;
    }

    private SocketAddress SocketAddressOf(IPEndPoint endPoint)
    {
        if (_socketAddresses.TryGetValue(endPoint, out var known))
        {
            return known;
        }

        TrimCaches();
        var address = endPoint.Serialize();
        _socketAddresses[endPoint] = address;
        return address;
    }

    private void TrimCaches()
    {
        if (_endPoints.Count >= _options.AddressCacheLimit || _socketAddresses.Count >= _options.AddressCacheLimit)
        {
            _endPoints.Clear();
            _socketAddresses.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        lock (_gate)
        {
            _timer.Dispose();
        }

        _socket.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _stop.Dispose();
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        ArrayPool<byte>.Shared.Return(_transmitBuffer);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP receive failed with {Error}; the socket keeps listening.")]
    private static partial void LogReceiveError(ILogger logger, SocketError error, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The engine failed on a {Length}-byte datagram from {From}; the datagram was dropped.")]
    private static partial void LogEngineFailure(ILogger logger, IPEndPoint from, int length, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The engine failed while handling a timer or sending; it keeps running.")]
    private static partial void LogTimerFailure(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending to {To} failed with {Error}; the datagram is dropped and reliability will resend it.")]
    private static partial void LogSendError(ILogger logger, IPEndPoint to, SocketError error);
}
