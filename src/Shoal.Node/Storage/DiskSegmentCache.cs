using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Core.Identity;

namespace Shoal.Node.Storage;

/// <summary>
/// A size-bounded cache of pieces on disk, one append-only file of <see cref="PieceRecord"/>s per segment, evicted
/// least-recently-used by segment. It never serves a corrupt piece: on open every record is verified and a file is
/// cut back to its last whole record (what kill -9 or a power cut tore is discarded), and every read verifies again.
/// Writes respect an hourly <see cref="WriteBudget"/>; a failing disk (full, read-only) is logged and left alone for a
/// while, and the node carries on from memory and the origin. Thread-safe (one lock; records are small).
/// </summary>
public sealed partial class DiskSegmentCache
{
    private const string FileExtension = ".seg";

    private readonly DiskCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WriteBudget? _budget;
    private readonly Lock _gate = new();
    private readonly Dictionary<SegmentKey, Entry> _entries = [];
    private readonly HashSet<string> _unflushed = new(StringComparer.Ordinal);
    private long _useClock;
    private long _sizeBytes;
    private long _bytesWritten;
    private long _writesSkippedForBudget;
    private long _writeFailures;
    private long _corruptReads;
    private long _unavailableUntil = long.MinValue;

    private DiskSegmentCache(DiskCacheOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _budget = options.WriteBudgetBytesPerHour is { } perHour ? new WriteBudget(perHour, time) : null;
    }

    /// <summary>What opening the cache found: the pieces kept and the torn or corrupt records thrown away.</summary>
    public DiskCacheOpenReport OpenReport { get; private set; }

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

    public long CapacityBytes => _options.CapacityBytes;

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public long WritesSkippedForBudget => Interlocked.Read(ref _writesSkippedForBudget);

    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    public long CorruptReads => Interlocked.Read(ref _corruptReads);

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

    /// <summary>Opens (creating when needed) the cache folder and verifies every record in it.</summary>
    public static DiskSegmentCache Open(DiskCacheOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Directory.CreateDirectory(options.Directory);
        var cache = new DiskSegmentCache(options, time, logger ?? NullLogger.Instance);
        cache.Load();
        return cache;
    }

    /// <summary>Every cached segment with its layout and how many pieces it holds.</summary>
    public IReadOnlyList<(SegmentKey Key, SegmentLayout Layout, int Pieces)> Segments()
    {
        lock (_gate)
        {
            return _entries.Select(e => (e.Key, e.Value.Layout, e.Value.Pieces.Count)).ToList();
        }
    }

    public bool TryGetLayout(SegmentKey key, out SegmentLayout layout, out int piecesPresent)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                layout = entry.Layout;
                piecesPresent = entry.Pieces.Count;
                return true;
            }
        }

        layout = default;
        piecesPresent = 0;
        return false;
    }

    public bool Contains(SegmentKey key, int pieceIndex)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) && entry.Pieces.ContainsKey(pieceIndex);
        }
    }

    /// <summary>Reads and re-verifies a piece; a record that fails (bit rot, outside meddling) is forgotten, never served.</summary>
    public bool TryRead(SegmentKey key, int pieceIndex, out byte[] payload)
    {
        payload = [];
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry) || !entry.Pieces.TryGetValue(pieceIndex, out var location))
            {
                return false;
            }

            entry.LastUse = ++_useClock;
            var record = new byte[PieceRecord.RecordSize(location.Length)];
            try
            {
                using var handle = File.OpenHandle(entry.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var read = 0;
                while (read < record.Length)
                {
                    var n = RandomAccess.Read(handle, record.AsSpan(read), location.Offset + read);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                if (read == record.Length
                    && PieceRecord.TryReadHeader(record, out var index, out var length, out var layout)
                    && index == pieceIndex && length == location.Length && layout == entry.Layout
                    && PieceRecord.Verify(record, record.AsSpan(PieceRecord.HeaderSize)))
                {
                    payload = record[PieceRecord.HeaderSize..];
                    return true;
                }
            }
            catch (IOException e)
            {
                LogReadFailed(_logger, entry.Path, e.Message);
            }
            catch (UnauthorizedAccessException e)
            {
                LogReadFailed(_logger, entry.Path, e.Message);
            }

            Interlocked.Increment(ref _corruptReads);
            entry.Pieces.Remove(pieceIndex);
            return false;
        }
    }

    /// <summary>Appends a piece's record to its segment's file, evicting least recently used segments to make room.</summary>
    public DiskWriteResult TryWrite(SegmentKey key, SegmentLayout layout, int pieceIndex, ReadOnlySpan<byte> payload)
    {
        if (!layout.IsValidPiece(pieceIndex, payload.Length) || layout.PieceSize > PieceRecord.MaxPieceSize || layout.Length > PieceRecord.MaxSegmentLength)
        {
            throw new ArgumentException($"piece {pieceIndex} of {payload.Length} bytes does not fit segment layout {layout}");
        }

        var recordSize = PieceRecord.RecordSize(payload.Length);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (existing.Pieces.ContainsKey(pieceIndex))
                {
                    return DiskWriteResult.AlreadyPresent;
                }

                if (existing.Layout != layout)
                {
                    // The resource changed shape (a re-published file): the old pieces are worthless now.
                    RemoveLocked(key, existing);
                }
            }

            if (recordSize > _options.CapacityBytes)
            {
                return DiskWriteResult.TooLarge;
            }

            if (_time.GetTimestamp() < _unavailableUntil)
            {
                return DiskWriteResult.DiskUnavailable;
            }

            if (_budget is not null && !_budget.TryTake(recordSize))
            {
                if (Interlocked.Increment(ref _writesSkippedForBudget) == 1)
                {
                    LogBudgetExhausted(_logger, _options.WriteBudgetBytesPerHour ?? 0);
                }

                return DiskWriteResult.OverWriteBudget;
            }

            EvictLocked(recordSize, key);
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(FilePath(key), layout);
                _entries[key] = entry;
            }

            var record = new byte[recordSize];
            PieceRecord.Write(record, pieceIndex, layout, payload);
            long offset = entry.FileBytes;
            try
            {
                using (var handle = File.OpenHandle(entry.Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete))
                {
                    RandomAccess.Write(handle, record, offset);
                }

                entry.Pieces[pieceIndex] = new Location(offset, payload.Length);
                entry.FileBytes += recordSize;
                entry.LastUse = ++_useClock;
                _sizeBytes += recordSize;
                _unflushed.Add(entry.Path);
                Interlocked.Add(ref _bytesWritten, recordSize);
                return DiskWriteResult.Written;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _writeFailures);
                _unavailableUntil = _time.GetTimestamp() + (long)(_options.RetryAfterFailure.TotalSeconds * _time.TimestampFrequency);
                LogWriteFailed(_logger, entry.Path, e.Message, _options.RetryAfterFailure.TotalSeconds);

                // A half-written tail would hide the records appended after it on the next load: cut it off.
                TryTruncate(entry.Path, offset);
                if (entry.Pieces.Count == 0)
                {
                    _entries.Remove(key);
                    TryDelete(entry.Path);
                }

                return DiskWriteResult.Failed;
            }
        }
    }

    /// <summary>Forces written records to stable storage (fsync), so a power cut after a graceful shutdown loses nothing.</summary>
    public void Flush()
    {
        string[] paths;
        lock (_gate)
        {
            paths = [.. _unflushed];
            _unflushed.Clear();
        }

        foreach (var path in paths)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                stream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(_logger, path, e.Message, 0);
            }
        }
    }

    public bool Remove(SegmentKey key)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return false;
            }

            RemoveLocked(key, entry);
            return true;
        }
    }

    private string FilePath(SegmentKey key) =>
        Path.Combine(_options.Directory, string.Create(CultureInfo.InvariantCulture, $"{key.Resource.ToHex()}.{key.Sequence}{FileExtension}"));

    private static bool TryParseFileName(string fileName, out SegmentKey key)
    {
        key = default;
        if (!fileName.EndsWith(FileExtension, StringComparison.Ordinal))
        {
            return false;
        }

        var stem = fileName[..^FileExtension.Length];
        var dot = stem.IndexOf('.', StringComparison.Ordinal);
        if (dot != Rid.Length * 2 || !Rid.TryParse(stem[..dot], out var rid)
            || !long.TryParse(stem.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        key = new SegmentKey(rid, sequence);
        return true;
    }

    private void Load()
    {
        var kept = 0;
        var discarded = 0;
        long truncatedBytes = 0;
        var files = new DirectoryInfo(_options.Directory).EnumerateFiles("*" + FileExtension)
            .OrderBy(f => f.LastWriteTimeUtc).ToList();
        foreach (var file in files)
        {
            if (!TryParseFileName(file.Name, out var key))
            {
                continue;
            }

            var entry = ScanFile(file.FullName, out var goodBytes, out var badRecords);
            kept += entry?.Pieces.Count ?? 0;
            discarded += badRecords;
            if (goodBytes < file.Length)
            {
                truncatedBytes += file.Length - goodBytes;
                if (goodBytes == 0)
                {
                    TryDelete(file.FullName);
                }
                else
                {
                    TryTruncate(file.FullName, goodBytes);
                }
            }

            if (entry is { Pieces.Count: > 0 })
            {
                entry.LastUse = ++_useClock;
                _entries[key] = entry;
                _sizeBytes += entry.FileBytes;
            }
        }

        OpenReport = new DiskCacheOpenReport(_entries.Count, kept, discarded, truncatedBytes);
        if (discarded > 0 || truncatedBytes > 0)
        {
            LogDiscarded(_logger, discarded, truncatedBytes, _options.Directory);
        }

        lock (_gate)
        {
            EvictLocked(0, null);
        }
    }

    /// <summary>Reads records until the first one that is short, malformed or fails its hash; everything from there is torn.</summary>
    private static Entry? ScanFile(string path, out long goodBytes, out int badRecords)
    {
        goodBytes = 0;
        badRecords = 0;
        Entry? entry = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var header = new byte[PieceRecord.HeaderSize];
            var length = stream.Length;
            while (goodBytes < length)
            {
                if (!ReadExactly(stream, header)
                    || !PieceRecord.TryReadHeader(header, out var index, out var payloadLength, out var layout)
                    || (entry is not null && entry.Layout != layout)
                    || goodBytes + PieceRecord.RecordSize(payloadLength) > length)
                {
                    badRecords++;
                    break;
                }

                var payload = new byte[payloadLength];
                if (!ReadExactly(stream, payload) || !PieceRecord.Verify(header, payload))
                {
                    badRecords++;
                    break;
                }

                entry ??= new Entry(path, layout);
                entry.Pieces.TryAdd(index, new Location(goodBytes, payloadLength));
                goodBytes += PieceRecord.RecordSize(payloadLength);
                entry.FileBytes = goodBytes;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            badRecords++;
        }

        return entry;
    }

    private static bool ReadExactly(Stream stream, byte[] buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    private void EvictLocked(long incoming, SegmentKey? keep)
    {
        while (_sizeBytes + incoming > _options.CapacityBytes)
        {
            var victim = _entries.Where(e => keep is null || e.Key != keep.Value).MinBy(e => e.Value.LastUse);
            if (victim.Value is null)
            {
                return;
            }

            RemoveLocked(victim.Key, victim.Value);
        }
    }

    private void RemoveLocked(SegmentKey key, Entry entry)
    {
        _entries.Remove(key);
        _sizeBytes -= entry.FileBytes;
        _unflushed.Remove(entry.Path);
        TryDelete(entry.Path);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, path, e.Message, 0);
        }
    }

    private void TryTruncate(string path, long length)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.SetLength(length);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, path, e.Message, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "disk cache: could not write {Path}: {Reason}; serving from memory and the origin, disk retried in {RetrySeconds} s")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "disk cache: could not read {Path}: {Reason}; the piece will be fetched again")]
    private static partial void LogReadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "disk cache: write budget of {BytesPerHour} bytes/hour reached; new pieces stay in memory until it refills")]
    private static partial void LogBudgetExhausted(ILogger logger, long bytesPerHour);

    [LoggerMessage(Level = LogLevel.Warning, Message = "disk cache: discarded {Records} torn or corrupt records ({Bytes} bytes) in {Directory} (an unclean shutdown); they will be fetched again")]
    private static partial void LogDiscarded(ILogger logger, int records, long bytes, string directory);

    private readonly record struct Location(long Offset, int Length);

    private sealed class Entry(string path, SegmentLayout layout)
    {
        public string Path { get; } = path;

        public SegmentLayout Layout { get; } = layout;

        public Dictionary<int, Location> Pieces { get; } = [];

        public long FileBytes { get; set; }

        public long LastUse { get; set; }
    }
}
