namespace Shoal.Engine.Peers;

/// <summary>What the hostile-peer policy says to do with a neighbour.</summary>
public enum PeerVerdict
{
    /// <summary>Nothing wrong seen.</summary>
    Ok,

    /// <summary>Suspect: fewer requests to it, its excess requests ignored.</summary>
    Throttle,

    /// <summary>Useless or abusive: close the channel; it may return later as a candidate.</summary>
    Drop,

    /// <summary>Proven hostile (sent a chunk that failed verification): close and never accept again.</summary>
    Ban,
}
