namespace Shoal.Node.Storage;

/// <summary>
/// Pieces in memory, bounded in bytes, evicted least-recently-used by segment: the whole store of a live window
/// and the hot front of the disk cache. Thread-safe.
/// </summary>
public sealed class MemorySegmentStore(long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SegmentKey, Entry> _entries = [];
    private long _useClock;
    private long _sizeBytes;

    public long CapacityBytes => capacityBytes;

    public long SizeBytes
    {
        get
        {
            lock (_gate)
            {
                return _sizeBytes;
            }
        }
    }

    public int SegmentCount
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGetLayout(SegmentKey key, out SegmentLayout layout, out int piecesPresent)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                layout = entry.Layout;
                piecesPresent = entry.Present;
                return true;
            }
        }

        layout = default;
        piecesPresent = 0;
        return false;
    }

    public bool TryGet(SegmentKey key, int pieceIndex, out ReadOnlyMemory<byte> piece)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && pieceIndex >= 0 && pieceIndex < entry.Pieces.Length && entry.Pieces[pieceIndex] is { } bytes)
            {
                entry.LastUse = ++_useClock;
                piece = bytes;
                return true;
            }
        }

        piece = default;
        return false;
    }

    public void Put(SegmentKey key, SegmentLayout layout, int pieceIndex, ReadOnlyMemory<byte> piece)
    {
        if (!layout.IsValidPiece(pieceIndex, piece.Length))
        {
            throw new ArgumentException($"piece {pieceIndex} of {piece.Length} bytes does not fit segment layout {layout}");
        }

        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry) || entry.Layout != layout)
            {
                if (entry is not null)
                {
                    RemoveLocked(key, entry);
                }

                entry = new Entry(layout);
                _entries[key] = entry;
            }

            entry.LastUse = ++_useClock;
            if (entry.Pieces[pieceIndex] is not null)
            {
                return;
            }

            entry.Pieces[pieceIndex] = piece.ToArray();
            entry.Present++;
            entry.Bytes += piece.Length;
            _sizeBytes += piece.Length;
            while (_sizeBytes > capacityBytes)
            {
                var victim = _entries.Where(e => e.Key != key).MinBy(e => e.Value.LastUse);
                if (victim.Value is null)
                {
                    break;
                }

                RemoveLocked(victim.Key, victim.Value);
            }
        }
    }

    public bool Remove(SegmentKey key)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                RemoveLocked(key, entry);
                return true;
            }

            return false;
        }
    }

    private void RemoveLocked(SegmentKey key, Entry entry)
    {
        _entries.Remove(key);
        _sizeBytes -= entry.Bytes;
    }

    private sealed class Entry(SegmentLayout layout)
    {
        public SegmentLayout Layout { get; } = layout;

        public byte[]?[] Pieces { get; } = new byte[]?[layout.PieceCount];

        public int Present { get; set; }

        public long Bytes { get; set; }

        public long LastUse { get; set; }
    }
}
