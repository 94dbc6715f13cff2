using System.Globalization;
using Shoal.Core.Identity;

namespace Shoal.Node.Storage;

/// <summary>Names one segment of one resource: the unit the store keeps, evicts and reports.</summary>
public readonly record struct SegmentKey(Rid Resource, long Sequence)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Resource.ToHex()}/{Sequence}");
}
