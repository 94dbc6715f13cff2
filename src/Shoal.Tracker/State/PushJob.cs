using Shoal.Core.Identity;

namespace Shoal.Tracker.State;

/// <summary>A warm-up order: fetch this resource ahead of demand so the swarm has a well-provisioned seed.</summary>
public sealed record PushJob(string JobId, Rid Rid, string? OriginUrl, DateTimeOffset Created);
