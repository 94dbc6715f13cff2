using Shoal.Core.Content;
using Shoal.Engine;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The flows a step finished, in three phases. First, in arrival order, the run's trace and totals. Then, in parallel
/// by node, what only that node sees: as a sender, its upload queues move on (the next flows to start are kept aside
/// and started after the phase: a flow's place among those waiting is fixed by its start time and number, not by when
/// it is handed over); then, as a receiver, whether it is still in the session the flow was asked for, its request
/// book, its measured link, its held pieces, and the count of bytes the sender's side of the link has sent. A node's
/// arrivals go in their order, and its queues before its pieces, whatever thread takes it. Last, in arrival order
/// again, what reaches other nodes or the clock: the other requests for the piece are withdrawn, a segment made whole
/// starts or resumes the player, and the receiver plans soon. So the history is the same whatever the thread count.
/// </summary>
internal sealed partial class FlowRun
{
    /// <summary>Below this many arrivals in a step the nodes' phase is cheaper on one thread than handed over.</summary>
    private const int ParallelArrivals = 64;

    private ArrivalOutcome[] _outcomes = new ArrivalOutcome[256];
    private ArrivalScratch[] _arrivalScratch = [];

    private void Arrived(List<Transfer> done)
    {
        if (done.Count == 0) return;
        if (_outcomes.Length < done.Count) _outcomes = new ArrivalOutcome[Math.Max(done.Count, _outcomes.Length * 2)];
        if (_arrivalScratch.Length != _workers.Count)
            _arrivalScratch = Enumerable.Range(0, _workers.Count).Select(_ => new ArrivalScratch()).ToArray();
        foreach (var scratch in _arrivalScratch) scratch.Clear();

        foreach (var transfer in done) Account(transfer);
        if (done.Count >= ParallelArrivals && _workers.Count > 1)
        {
            var stride = _workers.Count;
            _workers.Run(w => NodeSide(done, w, stride));
        }
        else NodeSide(done, 0, 1);
        foreach (var scratch in _arrivalScratch)
            foreach (var next in scratch.ToStart) _network.Start(next);
        for (var i = 0; i < done.Count; i++) Effects(done[i], _outcomes[i]);
    }

    /// <summary>The trace and the totals count the flow (from the flow alone: the nodes are visited in parallel after).</summary>
    private void Account(Transfer transfer)
    {
        Mix(transfer.Sender, transfer.Receiver, transfer.CompletedAt.Microseconds);
        if (transfer.FromOrigin) _originBytes += transfer.Bytes;
        else _peerBytes += transfer.Bytes;
    }

    /// <summary>Worker <paramref name="worker"/>'s share of the nodes: first what they sent, then what they received.</summary>
    private void NodeSide(List<Transfer> done, int worker, int stride)
    {
        var toStart = _arrivalScratch[worker].ToStart;
        for (var i = 0; i < done.Count; i++)
            if (!done[i].FromOrigin && done[i].Sender % stride == worker) SenderSide(done[i], toStart);
        ReceiverSide(done, worker, stride);
    }

    /// <summary>The sender's queue moves on (its next flow noted in <paramref name="toStart"/>), and its count of bytes sent.</summary>
    private void SenderSide(Transfer transfer, List<Transfer> toStart)
    {
        var sender = _nodes[transfer.Sender];
        var back = transfer.SenderLink;
        if (back?.Uploads is { Count: > 0 } queue && queue[0] == transfer)
        {
            queue.RemoveAt(0);
            if (NextHead(sender, queue, transfer.CompletedAt) is { } next) toStart.Add(next);
        }
        sender.BytesUploaded += transfer.Bytes;
    }

    /// <summary>Worker <paramref name="worker"/>'s share of the receivers: their arrivals, each receiver's in order.</summary>
    private void ReceiverSide(List<Transfer> done, int worker, int stride)
    {
        var scratch = _arrivalScratch[worker];
        for (var i = 0; i < done.Count; i++)
        {
            var transfer = done[i];
            if (transfer.Receiver % stride != worker) continue;
            var receiver = _nodes[transfer.Receiver];
            ref var outcome = ref _outcomes[i];
            outcome = new ArrivalOutcome { Live = receiver.Online && receiver.Session == transfer.Session };
            if (!outcome.Live) continue;
            outcome.Worker = worker;
            outcome.SegmentsFrom = scratch.Segments.Count;
            outcome.OthersFrom = scratch.Others.Count;
            var holdings = receiver.Holdings!;
            if (transfer.FromOrigin)
            {
                receiver.OriginTransfers.Remove(transfer);
                receiver.BytesFromOrigin += transfer.Bytes;
                receiver.Scheduler!.Book.CompleteOrigin(transfer.Range!.Id);
                foreach (var piece in transfer.Range.Pieces) Hold(holdings, piece, scratch.Segments);
            }
            else
            {
                receiver.BytesFromPeers += transfer.Bytes;
                // The sender's side of the link, but only its receiver's worker writes this count (the sender's reads
                // the link's queue, another field).
                if (transfer.SenderLink is { } back) back.BytesToThem += transfer.Bytes;
                transfer.ReceiverLink!.Delivered(transfer.CompletedAt, transfer.Requested, transfer.Bytes);
                receiver.Scheduler!.PieceCompleted(transfer.Piece, scratch.Asked);
                foreach (var other in scratch.Asked)
                    if (other.Value - 1 != transfer.Sender) scratch.Others.Add(other);
                outcome.Duplicate = !Hold(holdings, transfer.Piece, scratch.Segments);
            }
            outcome.SegmentsTo = scratch.Segments.Count;
            outcome.OthersTo = scratch.Others.Count;
        }
    }

    /// <summary>Records a piece; true when it was new, and the segment noted when the piece made it whole.</summary>
    private static bool Hold(NodeHoldings holdings, PieceId piece, List<long> completedSegments)
    {
        if (!holdings.Add(piece)) return false;
        if (holdings.IsComplete(piece.SegmentSequence)) completedSegments.Add(piece.SegmentSequence);
        return true;
    }

    /// <summary>What an arrival does beyond its receiver: other requests withdrawn, the player moved on, a plan due.</summary>
    private void Effects(Transfer transfer, ArrivalOutcome outcome)
    {
        if (!outcome.Live) return;
        var receiver = _nodes[transfer.Receiver];
        var scratch = _arrivalScratch[outcome.Worker];
        for (var k = outcome.OthersFrom; k < outcome.OthersTo; k++) Withdraw(_nodes[scratch.Others[k].Value - 1], receiver, transfer.Piece);
        if (outcome.Duplicate) _duplicateBytes += transfer.Bytes;
        for (var k = outcome.SegmentsFrom; k < outcome.SegmentsTo; k++) SegmentComplete(receiver, scratch.Segments[k], transfer.CompletedAt);
        PlanSoon(receiver);
    }
}
