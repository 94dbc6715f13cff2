using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Shoal.Node.Gateway;

/// <summary>
/// Merges concurrent reads of the same segment into one read of <paramref name="inner"/> ("single flight"): players that
/// ask for a segment while another player's read of it is still running get the pieces already read at once, then each
/// piece as it arrives, instead of a second fetch from the origin or a second pass through the swarm. The shared read
/// runs on its own: it goes on while any of its players is still there, and stops when the last one has gone.
/// </summary>
public sealed class SingleFlightSegmentSource(ISegmentSource inner) : ISegmentSource
{
    private readonly ConcurrentDictionary<SegmentRequest, Flight> _flights = new();

    /// <summary>Reads of the inner source started so far (merged reads do not count).</summary>
    public long UpstreamReads => Interlocked.Read(ref _upstreamReads);

    private long _upstreamReads;

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SegmentRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Flight flight;
        while (true)
        {
            flight = _flights.GetOrAdd(request, r => new Flight(r));
            if (flight.TryJoin())
            {
                break;
            }

            // It just ended or was abandoned: it is leaving the table; start (or join) a fresh one.
            _flights.TryRemove(new KeyValuePair<SegmentRequest, Flight>(request, flight));
        }

        if (flight.TryStart())
        {
            Interlocked.Increment(ref _upstreamReads);
            _ = RunAsync(flight);
        }

        try
        {
            for (var index = 0; ; index++)
            {
                var (piece, state) = await flight.WaitForAsync(index, cancellationToken).ConfigureAwait(false);
                if (state == Flight.State.Piece)
                {
                    yield return piece;
                }
                else
                {
                    break;
                }
            }
        }
        finally
        {
            if (flight.Leave())
            {
                _flights.TryRemove(new KeyValuePair<SegmentRequest, Flight>(request, flight));
            }
        }
    }

    private async Task RunAsync(Flight flight)
    {
        try
        {
            await foreach (var piece in inner.ReadAsync(flight.Request, flight.Token).ConfigureAwait(false))
            {
                flight.Add(piece);
            }

            flight.Complete(null);
        }
#pragma warning disable CA1031 // Every player of the flight gets the failure, as it would from its own read.
        catch (Exception e)
#pragma warning restore CA1031
        {
            flight.Complete(e);
        }
        finally
        {
            // Later players start a fresh read (served from the store or the swarm, which now hold the segment).
            _flights.TryRemove(new KeyValuePair<SegmentRequest, Flight>(flight.Request, flight));
            flight.Dispose();
        }
    }

    /// <summary>One shared read: the pieces so far, its end (or failure), and who is still reading it.</summary>
    private sealed class Flight(SegmentRequest request) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<ReadOnlyMemory<byte>> _pieces = [];
        private readonly CancellationTokenSource _stop = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Exception? _failure;
        private bool _done;
        private bool _started;
        private int _readers;

        public enum State
        {
            Piece,
            End,
        }

        public SegmentRequest Request { get; } = request;

        public CancellationToken Token => _stop.Token;

        /// <summary>Adds a player; false once the flight has no players left (it was abandoned) and must not be joined.</summary>
        public bool TryJoin()
        {
            lock (_gate)
            {
                if (_stop.IsCancellationRequested)
                {
                    return false;
                }

                _readers++;
                return true;
            }
        }

        public bool TryStart()
        {
            lock (_gate)
            {
                var first = !_started;
                _started = true;
                return first;
            }
        }

        /// <summary>A player left; true when it was the last one (the read is then stopped if still running).</summary>
        public bool Leave()
        {
            lock (_gate)
            {
                if (--_readers > 0)
                {
                    return false;
                }

                if (!_done)
                {
                    _stop.Cancel();
                }

                return true;
            }
        }

        public void Add(ReadOnlyMemory<byte> piece)
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _pieces.Add(piece);
                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }

        public void Complete(Exception? failure)
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _done = true;
                _failure = failure;
                changed = _changed;
            }

            changed.TrySetResult();
        }

        /// <summary>Piece <paramref name="index"/> once it is there, or the end; throws the flight's failure at its end.</summary>
        public async Task<(ReadOnlyMemory<byte> Piece, State State)> WaitForAsync(int index, CancellationToken cancellationToken)
        {
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (index < _pieces.Count)
                    {
                        return (_pieces[index], State.Piece);
                    }

                    if (_done)
                    {
                        if (_failure is not null)
                        {
                            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
                        }

                        return (ReadOnlyMemory<byte>.Empty, State.End);
                    }

                    changed = _changed.Task;
                }

                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public void Dispose() => _stop.Dispose();
    }
}
