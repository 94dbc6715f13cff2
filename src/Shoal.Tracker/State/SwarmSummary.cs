using Shoal.Core.Identity;

namespace Shoal.Tracker.State;

/// <summary>One line of the operator's swarm overview.</summary>
public sealed record SwarmSummary(Rid Rid, SwarmCounts Counts, int SuperPeers, DateTimeOffset LastAnnounce);
