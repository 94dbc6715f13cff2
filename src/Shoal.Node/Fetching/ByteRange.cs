using System.Globalization;

namespace Shoal.Node.Fetching;

/// <summary>An inclusive byte range [First, Last] of a resource, as HTTP Range speaks it (RFC 9110 §14.1.2).</summary>
public readonly record struct ByteRange(long First, long Last)
{
    public long Length => Last - First + 1;

    public static ByteRange FromOffset(long offset, long length) => new(offset, offset + length - 1);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"bytes={First}-{Last}");
}
