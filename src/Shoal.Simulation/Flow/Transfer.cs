using Shoal.Core.Content;
using Shoal.Engine;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>One flow: a piece from a peer, or a coalesced range from the origin (<see cref="Sender"/> −1).</summary>
internal sealed class Transfer
{
    public required long Id { get; init; }

    public required int Sender { get; init; }

    public required int Receiver { get; init; }

    /// <summary>The receiver's session when the transfer was asked for: a transfer outliving its session is dropped.</summary>
    public required int Session { get; init; }

    public PieceId Piece { get; init; }

    public OriginRange? Range { get; init; }

    /// <summary>
    /// A peer transfer's two links: the sender's to the receiver (its upload queue) and the receiver's to the sender (its
    /// measured rate). Links come and go in pairs, and going cancels the flows both ways, so a flow that arrives still
    /// has both: its arrival need not look either up.
    /// </summary>
    public NeighbourLink? SenderLink { get; init; }

    public NeighbourLink? ReceiverLink { get; init; }

    public required long Bytes { get; init; }

    /// <summary>When the request was made (for the measured service rate).</summary>
    public required Instant Requested { get; init; }

    /// <summary>First byte: the request's RTT (or the origin's latency) after it was made.</summary>
    public required Instant ActiveFrom { get; set; }

    public double Remaining { get; set; }

    /// <summary>The receiver's downlink, copied in at the start so that each step's sharing need not visit the node.</summary>
    public double ReceiverDownBytesPerSecond { get; set; }

    public bool Active { get; set; }

    public bool Cancelled { get; set; }

    public double Rate { get; set; }

    /// <summary>When the last byte arrived (set on completion, within the step).</summary>
    public Instant CompletedAt { get; set; }

    public bool FromOrigin => Sender < 0;
}
