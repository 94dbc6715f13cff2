namespace Shoal.Node.Storage;

/// <summary>What became of a piece offered to the disk cache.</summary>
public enum DiskWriteResult
{
    Written,
    AlreadyPresent,
    OverWriteBudget,
    DiskUnavailable,
    TooLarge,
    Failed,
}
