namespace Shoal.Node.Fetching;

/// <summary>What a one-byte range request told about a resource: its length, whether ranges work, its type.</summary>
public readonly record struct ResourceProbe(long? Length, bool SupportsRanges, string? ContentType);
