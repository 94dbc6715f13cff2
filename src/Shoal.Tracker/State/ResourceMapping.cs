using Shoal.Core.Identity;

namespace Shoal.Tracker.State;

/// <summary>
/// The mapping service's record for one resource: the canonical origin URL, its RID, what kind of resource it is,
/// and whether the hash oracle fetches and signs its segments.
/// </summary>
public sealed record ResourceMapping(Rid Rid, string OriginUrl, string Kind, bool Oracle, DateTimeOffset Created);
