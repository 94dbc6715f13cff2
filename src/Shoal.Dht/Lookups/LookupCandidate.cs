using Shoal.Dht.Ids;

namespace Shoal.Dht.Lookups;

/// <summary>A node a lookup knows of, with the token it returned (needed to announce to it).</summary>
internal sealed class LookupCandidate(NodeInfo node)
{
    public NodeInfo Node { get; } = node;

    public LookupCandidateState State { get; set; }

    public ReadOnlyMemory<byte> Token { get; set; }

    public int Attempts { get; set; }
}
