namespace Shoal.Node.Storage;

/// <summary>Settings of the node's content store (memory in front of an optional disk cache).</summary>
public sealed record ContentStoreOptions
{
    public long MemoryCapacityBytes { get; init; } = DefaultMemoryCapacityBytes;

    /// <summary>Null: memory only (no disk cache).</summary>
    public DiskCacheOptions? Disk { get; init; }

    /// <summary>Pieces waiting for the disk writer; beyond this, new pieces stay in memory only rather than pile up.</summary>
    public int MaxPendingWrites { get; init; } = DefaultMaxPendingWrites;

    public const long DefaultMemoryCapacityBytes = 256L * 1024 * 1024;
    public const int DefaultMaxPendingWrites = 1024;
}
