namespace Shoal.Dht.Lookups;

/// <summary>What an iterative lookup is for.</summary>
public enum DhtLookupKind
{
    /// <summary>find_node towards a target (bootstrap, bucket refresh).</summary>
    FindNode,
    /// <summary>get_peers towards an info-hash, collecting peers.</summary>
    GetPeers,
    /// <summary>get_peers towards an info-hash, then announce_peer to the closest nodes that gave a token.</summary>
    Announce,
}
