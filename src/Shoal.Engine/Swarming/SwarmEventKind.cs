namespace Shoal.Engine.Swarming;

/// <summary>What a <see cref="SwarmEvent"/> reports.</summary>
public enum SwarmEventKind
{
    /// <summary>A piece was verified: a gateway may stream it to the player now.</summary>
    PieceVerified,

    /// <summary>Every piece of a segment is verified.</summary>
    SegmentVerified,

    /// <summary>A neighbour's channel opened.</summary>
    NeighbourConnected,

    /// <summary>A neighbour's channel closed (left, timed out, replaced, or dropped).</summary>
    NeighbourLost,

    /// <summary>A neighbour sent data that failed verification and is banned.</summary>
    PeerBanned,

    /// <summary>A neighbour was dropped for stalls or request floods.</summary>
    PeerDropped,
}
