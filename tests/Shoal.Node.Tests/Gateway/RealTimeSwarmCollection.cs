namespace Shoal.Node.Tests.Gateway;

/// <summary>
/// Tests whose figures depend on real time: live players, deadlines and the swarm's origin fallback. They run alone,
/// after the rest of the assembly, so that other tests' load does not push pieces past their deadlines.
/// </summary>
[CollectionDefinition(nameof(RealTimeSwarmCollection), DisableParallelization = true)]
public sealed class RealTimeSwarmCollection;
