namespace Shoal.Engine.Swarming;

/// <summary>
/// The counters a swarm exposes (issue: bytes from peers, from origin, uploaded, per-neighbour rate and RTT,
/// pieces late, stalls); the node publishes them as Prometheus metrics and the simulator sums them into the QoS table.
/// </summary>
public sealed class SwarmMetrics
{
    /// <summary>Verified payload bytes received from neighbours (duplicates excluded).</summary>
    public long BytesFromPeers { get; internal set; }

    /// <summary>Payload bytes received from the origin.</summary>
    public long BytesFromOrigin { get; internal set; }

    /// <summary>Payload bytes uploaded to neighbours.</summary>
    public long BytesUploaded { get; internal set; }

    /// <summary>Verified bytes handed to the player.</summary>
    public long BytesToPlayer { get; internal set; }

    /// <summary>Payload bytes received twice (end game duplicates, retransmissions that crossed).</summary>
    public long DuplicateBytes { get; internal set; }

    /// <summary>Bytes received that failed verification (discarded, never delivered).</summary>
    public long CorruptBytesRejected { get; internal set; }

    /// <summary>Pieces that became whole after their deadline.</summary>
    public long PiecesLate { get; internal set; }

    /// <summary>Times the playhead had to wait for data after start-up.</summary>
    public long Stalls { get; internal set; }

    /// <summary>Requests that stalled at a neighbour and moved elsewhere.</summary>
    public long RequestStalls { get; internal set; }

    /// <summary>Duplicate requests sent in end game.</summary>
    public long EndGameDuplicates { get; internal set; }

    /// <summary>Origin range requests emitted, and how many were urgent.</summary>
    public long OriginRequests { get; internal set; }

    public long UrgentOriginRequests { get; internal set; }

    /// <summary>Neighbours banned for bad data, and dropped for stalls or floods.</summary>
    public long PeersBanned { get; internal set; }

    public long PeersDropped { get; internal set; }

    /// <summary>Per-neighbour figures, refreshed on every wake-up.</summary>
    public IReadOnlyList<NeighbourMetrics> Neighbours { get; internal set; } = [];
}
