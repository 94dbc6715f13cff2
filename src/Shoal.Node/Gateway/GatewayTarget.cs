using Shoal.Core.Identity;

namespace Shoal.Node.Gateway;

/// <summary>A parsed gateway request: the origin URL and, for a playlist's media segment, its resource and sequence.</summary>
public readonly record struct GatewayTarget(Uri Origin, string CanonicalOrigin, Rid? Resource, long? Sequence, bool Live)
{
    public bool IsSegment => Resource is not null && Sequence is not null;
}
