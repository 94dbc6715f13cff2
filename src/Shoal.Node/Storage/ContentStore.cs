using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Shoal.Node.Storage;

/// <summary>
/// The node's pieces: a bounded memory store (all of a live window, the hot part of VOD) in front of the disk cache
/// for VOD titles and files. Disk writes go through one background writer so a slow disk never stalls a player;
/// <see cref="FlushAsync"/> drains it and fsyncs, which graceful shutdown calls so it loses nothing.
/// </summary>
public sealed class ContentStore : IAsyncDisposable
{
    private readonly MemorySegmentStore _memory;
    private readonly DiskSegmentCache? _disk;
    private readonly Channel<PendingWrite> _writes;
    private readonly Task _writer;
    private readonly ILogger _logger;
    private readonly int _maxPendingWrites;
    private long _pendingWrites;
    private long _writesDropped;

    public ContentStore(ContentStoreOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _logger = logger ?? NullLogger.Instance;
        _memory = new MemorySegmentStore(options.MemoryCapacityBytes);
        _disk = options.Disk is { } disk ? DiskSegmentCache.Open(disk, time, _logger) : null;
        _maxPendingWrites = options.MaxPendingWrites;
        _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
        _writer = Task.Run(WriteLoopAsync);
    }

    public MemorySegmentStore Memory => _memory;

    public DiskSegmentCache? Disk => _disk;

    public long WritesDropped => Interlocked.Read(ref _writesDropped);

    public bool TryGetLayout(SegmentKey key, out SegmentLayout layout)
    {
        if (_memory.TryGetLayout(key, out layout, out _))
        {
            return true;
        }

        return _disk is not null && _disk.TryGetLayout(key, out layout, out _);
    }

    /// <summary>True when every piece of the segment can be served from here.</summary>
    public bool IsComplete(SegmentKey key, out SegmentLayout layout)
    {
        if (_memory.TryGetLayout(key, out layout, out var inMemory) && inMemory == layout.PieceCount)
        {
            return true;
        }

        if (_disk is not null && _disk.TryGetLayout(key, out var onDisk, out var piecesOnDisk))
        {
            if (onDisk == layout || layout == default)
            {
                layout = onDisk;
                if (piecesOnDisk == onDisk.PieceCount)
                {
                    return true;
                }

                // Memory and disk together may hold the whole segment.
                for (var i = 0; i < onDisk.PieceCount; i++)
                {
                    if (!_memory.TryGet(key, i, out _) && !_disk.Contains(key, i))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        return false;
    }

    public bool TryGetPiece(SegmentKey key, int pieceIndex, out ReadOnlyMemory<byte> piece)
    {
        if (_memory.TryGet(key, pieceIndex, out piece))
        {
            return true;
        }

        if (_disk is not null && _disk.TryRead(key, pieceIndex, out var bytes))
        {
            piece = bytes;
            return true;
        }

        return false;
    }

    /// <summary>Keeps a verified piece; <paramref name="persist"/> also queues it for the disk cache (VOD and files, not live).</summary>
    public void Put(SegmentKey key, SegmentLayout layout, int pieceIndex, ReadOnlyMemory<byte> piece, bool persist)
    {
        _memory.Put(key, layout, pieceIndex, piece);
        if (persist && _disk is not null && !_disk.Contains(key, pieceIndex))
        {
            if (Interlocked.Increment(ref _pendingWrites) > _maxPendingWrites || !_writes.Writer.TryWrite(new PendingWrite(key, layout, pieceIndex, piece, null)))
            {
                Interlocked.Decrement(ref _pendingWrites);
                Interlocked.Increment(ref _writesDropped);
            }
        }
    }

    /// <summary>Waits until every queued piece has reached the disk, then fsyncs the files written.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        // The writer handles the queue in order, so once it reaches this marker every earlier piece is on disk.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_writes.Writer.TryWrite(new PendingWrite(default, default, -1, default, done)))
        {
            await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _disk?.Flush();
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _disk?.Flush();
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var write in _writes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (write.Flushed is { } marker)
            {
                marker.TrySetResult();
                continue;
            }

            try
            {
                _disk!.TryWrite(write.Key, write.Layout, write.PieceIndex, write.Piece.Span);
            }
            catch (ArgumentException e)
            {
                _logger.LogWarning("disk cache: refused piece {Piece} of {Segment}: {Reason}", write.PieceIndex, write.Key, e.Message);
            }
            finally
            {
                Interlocked.Decrement(ref _pendingWrites);
            }
        }
    }

    private readonly record struct PendingWrite(SegmentKey Key, SegmentLayout Layout, int PieceIndex, ReadOnlyMemory<byte> Piece, TaskCompletionSource? Flushed);
}
