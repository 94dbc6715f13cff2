namespace Shoal.Dht.Routing;

/// <summary>What <see cref="RoutingTable.Observe"/> did with a node.</summary>
public enum RoutingInsertResult
{
    Added,
    Updated,
    /// <summary>The bucket is full of good nodes (or its questionable node is already being pinged): dropped.</summary>
    Dropped,
    /// <summary>The bucket is full; the node waits as a replacement while a questionable node is pinged.</summary>
    PingQuestionable,
    /// <summary>Our own id, or a known id at a different endpoint (not trusted to move without a check).</summary>
    Ignored,
}
