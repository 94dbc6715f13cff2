namespace Shoal.Node.Storage;

/// <summary>What <see cref="DiskSegmentCache.Open"/> found on disk.</summary>
public readonly record struct DiskCacheOpenReport(int Segments, int PiecesKept, int RecordsDiscarded, long BytesTruncated);
