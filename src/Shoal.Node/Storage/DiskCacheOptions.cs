namespace Shoal.Node.Storage;

/// <summary>Settings of the on-disk piece cache.</summary>
public sealed record DiskCacheOptions
{
    public required string Directory { get; init; }

    /// <summary>Upper bound of the cache's files together; least recently used segments go first.</summary>
    public long CapacityBytes { get; init; } = DefaultCapacityBytes;

    /// <summary>
    /// Bytes the cache may write per hour (null: no limit). Flash storage of set-top boxes and phones wears out with
    /// writes (seed 000: embedded devices need "protection measures" for their disks); pieces over budget stay in memory.
    /// </summary>
    public long? WriteBudgetBytesPerHour { get; init; }

    /// <summary>After a failed write (full disk, I/O error), the disk is left alone this long.</summary>
    public TimeSpan RetryAfterFailure { get; init; } = TimeSpan.FromSeconds(DefaultRetryAfterFailureSeconds);

    public const long DefaultCapacityBytes = 1024L * 1024 * 1024;
    public const int DefaultRetryAfterFailureSeconds = 60;
}
