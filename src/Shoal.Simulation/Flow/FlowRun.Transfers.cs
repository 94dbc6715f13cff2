using System.Diagnostics;
using Shoal.Core.Content;
using Shoal.Engine;
using Shoal.Engine.Scheduling;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Flow;

/// <summary>The scheduler's plans turned into flows: requests, their upload queues, withdrawals and origin ranges.</summary>
internal sealed partial class FlowRun
{
    [ThreadStatic]
    private static PlanScratch? t_scratch;

    /// <summary>
    /// One planning pass for one node, into <paramref name="plan"/>; false when the node has nothing to plan. Runs in
    /// parallel with other nodes' passes, so it writes only its own state.
    /// </summary>
    private bool BuildPlan(FlowNode node, Instant now, SchedulePlan plan)
    {
        if (node.Scheduler is not { } scheduler || node.Holdings is not { } holdings) return false;
        if (node.State == PlayerState.Finished && holdings.Resource.Kind != ScenarioKind.File) return false;
        // One scratch set per planning thread: the scheduler reads these only during the pass and keeps none of them.
        var scratch = t_scratch ??= new PlanScratch();
        var views = scratch.Views;
        var rtts = scratch.Rtts;
        var rates = scratch.Rates;
        views.Clear();
        rtts.Clear();
        rates.Clear();
        // From the table's mirrored arrays, in its order (the slots' order, as the availability lists them too).
        var links = node.Links;
        for (var slot = 0; slot < links.Used; slot++)
        {
            var index = links.KeyAt(slot);
            if (index < 0) continue;
            var rtt = links.RttAt(slot);
            var rate = links.ServiceRateAt(slot);
            views.Add(new NeighbourView(FlowNode.IdOf(index), rtt, rate, links.ChokesMeAt(slot), Throttled: false));
            rtts.Add(rtt);
            if (rate > 0) rates.Add(rate);
        }
        var resource = holdings.Resource;
        var segments = SegmentsAhead(node, now, scratch.Segments);
        if (segments.Count == 0) return false;
        var availability = scratch.Availability;
        availability.Prepare(node, _holdings, segments[0].Sequence, (int)(segments[^1].Sequence - segments[0].Sequence + 1));
        var current = segments[0];
        var streamRate = current.Duration > 0 ? current.Length / current.Duration : 0;
        scheduler.Zones.Adapt(Medians.Of(rtts) ?? _settings.UnmeasuredRtt, Medians.Of(rates) ?? 0, resource.PieceSize, rates.Sum(), streamRate);
        var delivered = node.BytesFromPeers + node.BytesFromOrigin;
        var input = new ScheduleInput(
            now, segments, node.Playhead, holdings, availability, views, Math.Max(node.SwarmSize, views.Count + 1),
            node.SuperPeer, node.Seed * 31 + (ulong)node.Session, delivered == 0 ? 0 : (double)node.BytesFromOrigin / delivered,
            Download: resource.Kind == ScenarioKind.File);
        scheduler.Plan(input, plan);
        return true;
    }

    /// <summary>The segments the player may still need, from its position to as far as any zone can reach.</summary>
    private List<SegmentTiming> SegmentsAhead(FlowNode node, Instant now, List<SegmentTiming> segments)
    {
        segments.Clear();
        var resource = node.Holdings!.Resource;
        var first = Math.Max(node.Segment, resource.AvailableStart(now.TotalSeconds));
        var end = resource.AvailableEnd(now.TotalSeconds);
        var horizon = node.Playhead.MediaSecondsAt(now) + (_settings.MaximumUrgentHorizon + _settings.MaximumPeerWindow).TotalSeconds;
        for (var k = first; k < end; k++)
        {
            var timing = resource.Timing(k);
            if (timing.MediaStart > horizon && segments.Count > 0) break;
            segments.Add(timing);
        }
        return segments;
    }

    private void Apply(FlowNode node, SchedulePlan plan, Instant now)
    {
        foreach (var (id, piece) in plan.Stalled)
        {
            node.RequestStalls++;
            Withdraw(_nodes[id.Value - 1], node, piece);
        }
        foreach (var (id, piece) in plan.Cancels) Withdraw(_nodes[id.Value - 1], node, piece);
        foreach (var (id, piece) in plan.Requests) Request(node, _nodes[id.Value - 1], piece, now);
        node.EndGameDuplicates += plan.Duplicates;
        foreach (var range in plan.OriginRanges) StartOrigin(node, range, now);
    }

    /// <summary>A request reaches its neighbour (the flow starts one RTT later, or when the ones before it are sent).</summary>
    private void Request(FlowNode receiver, FlowNode sender, PieceId piece, Instant now)
    {
        // The receiver's own table (the pass just read it) leads to the sender's side without a search of the sender's; a
        // sender that left has no links, so the sender itself (a cache miss at 10,000 nodes) need not be asked.
        if (!receiver.Links.TryGetValue(sender.Index, out var mine) || mine.Back is not { } back) return;
        back.LastRequestFromThem = now;
        // A choking peer ignores requests; the requester's stall policy moves the piece on.
        if (back.ChokingThem) return;
        var queue = back.Uploads ??= [];
        var transfer = new Transfer
        {
            Id = _network.NextId(),
            Sender = sender.Index,
            Receiver = receiver.Index,
            Session = receiver.Session,
            Piece = piece,
            SenderLink = back,
            ReceiverLink = mine,
            Bytes = PieceLength(receiver.Holdings!.Resource, piece),
            Requested = now,
            ActiveFrom = now + back.Rtt,
        };
        queue.Add(transfer);
        if (queue.Count > 1) return;
        // The pass chose the sender from its holdings as they stand in this step (nothing arrives while plans are built
        // and applied), so it holds the piece: the head starts without reading the sender's holdings.
        Debug.Assert(sender.Holdings?.Has(piece) == true, "a request goes only to a neighbour that holds the piece");
        _network.Start(transfer);
    }

    /// <summary>Starts the first request in a queue that the sender can still serve; those it cannot are ignored, as the engine would.</summary>
    private void StartHead(FlowNode sender, List<Transfer> queue, Instant now)
    {
        if (NextHead(sender, queue, now) is { } head) _network.Start(head);
    }

    /// <summary>
    /// Drops the requests at the head of a queue that the sender can no longer serve and returns the first it can, ready
    /// to start (or null). Reads and writes only the sender's own state, so senders may go in parallel.
    /// </summary>
    private static Transfer? NextHead(FlowNode sender, List<Transfer> queue, Instant now)
    {
        while (queue.Count > 0)
        {
            var head = queue[0];
            if (sender.Holdings is { } holdings && holdings.Has(head.Piece))
            {
                if (head.ActiveFrom < now) head.ActiveFrom = now;
                return head;
            }
            queue.RemoveAt(0);
        }
        return null;
    }

    /// <summary>The requester withdrew a piece (cancel, stall, or it arrived elsewhere).</summary>
    private void Withdraw(FlowNode sender, FlowNode receiver, PieceId piece)
    {
        if (!receiver.Links.TryGetValue(sender.Index, out var mine) || mine.Back?.Uploads is not { } queue) return;
        var at = -1;
        for (var i = 0; i < queue.Count; i++)
            if (queue[i].Piece == piece)
            {
                at = i;
                break;
            }
        if (at < 0) return;
        var transfer = queue[at];
        queue.RemoveAt(at);
        _network.Cancel(transfer);
        if (at == 0) StartHead(sender, queue, _now);
    }

    private void StartOrigin(FlowNode node, OriginRange range, Instant now)
    {
        var transfer = new Transfer
        {
            Id = _network.NextId(),
            Sender = -1,
            Receiver = node.Index,
            Session = node.Session,
            Range = range,
            Bytes = range.Length,
            Requested = now,
            ActiveFrom = now + TimeSpan.FromMilliseconds(_scenario.Origin.LatencyMs),
        };
        node.OriginTransfers.Add(transfer);
        node.OriginRanges++;
        if (range.Urgent) node.UrgentOriginRanges++;
        _network.Start(transfer);
    }
}
