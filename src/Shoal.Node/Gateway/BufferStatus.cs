using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>What the content store holds.</summary>
public sealed record BufferStatus(
    [property: JsonPropertyName("memory_bytes")] long MemoryBytes,
    [property: JsonPropertyName("memory_segments")] int MemorySegments,
    [property: JsonPropertyName("disk_bytes")] long? DiskBytes,
    [property: JsonPropertyName("disk_capacity_bytes")] long? DiskCapacityBytes,
    [property: JsonPropertyName("disk_segments")] int? DiskSegments,
    [property: JsonPropertyName("disk_bytes_written")] long? DiskBytesWritten,
    [property: JsonPropertyName("disk_writes_over_budget")] long? DiskWritesOverBudget,
    [property: JsonPropertyName("disk_write_failures")] long? DiskWriteFailures);
