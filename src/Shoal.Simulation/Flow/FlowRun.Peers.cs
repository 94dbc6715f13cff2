using System.Runtime.InteropServices;
using Shoal.Core.Content;
using Shoal.Engine;
using Shoal.Engine.Peers;
using Shoal.Engine.Scheduling;
using Shoal.Engine.Uploading;
using Shoal.Simulation.Scenarios;
using Shoal.Tracker.Udp;

namespace Shoal.Simulation.Flow;

/// <summary>Sessions and the neighbour set: joining, the tracker, connecting through NATs, replacing, choking, leaving.</summary>
internal sealed partial class FlowRun
{
    private static readonly TimeSpan MaintenanceInterval = TimeSpan.FromSeconds(1);

    private readonly List<UploadCandidate> _interested = [];
    // Rechoke's scratch: which link slots asked of us lately, and the links in index order (index << 32 | slot).
    private bool[] _askedSlots = new bool[32];
    private readonly List<long> _linkOrder = [];

    private void Join(FlowNode node, FlowResource resource)
    {
        if (node.Online) return;
        node.Session++;
        node.Sessions++;
        node.Online = true;
        node.SessionStart = _now;
        node.Holdings = new NodeHoldings(resource, _holdings, node.Index);
        node.Scheduler = new PieceScheduler(_settings);
        node.Membership = new Membership(_membership);
        node.Unchoker = new Unchoker(_upload, node.SuperPeer, new Random((int)(node.Seed % int.MaxValue) + node.Session));
        node.LastPlan = _now - _planTick;
        node.NextPlanDue = Instant.MaxValue;
        node.CompleteSegments = 0;
        resource.Online++;
        Announce(node, AnnounceEvent.Started);
        StartPlayer(node);
        var session = node.Session;
        // Maintenance is staggered by node so that 10,000 nodes do not all rechoke in the same step.
        var offset = TimeSpan.FromMilliseconds(node.Index % 1000);
        Maintain(node, session);
        Schedule(_now + offset + MaintenanceInterval, new NodeEvent(NodeEventKind.Maintain, node.Index, session));
        // The engine plans as soon as its player has a position, so the first plan runs at the join itself rather than
        // at the end of the step: start-up would otherwise carry half a step of the simulator's own making.
        PlanNow(node);
    }

    private void Leave(FlowNode node)
    {
        if (!node.Online) return;
        CloseSession(node);
        var resource = node.Holdings!.Resource;
        _tracker.Announce(node, resource, AnnounceEvent.Stopped, _now.TotalSeconds, 0);
        resource.Online--;
        foreach (var other in node.Links.Keys.ToList()) Disconnect(node, _nodes[other]);
        foreach (var transfer in node.OriginTransfers) _network.Cancel(transfer);
        node.OriginTransfers.Clear();
        node.Online = false;
        node.State = PlayerState.Idle;
        node.Holdings = null;
        _holdings.Release(node.Index);
        node.Scheduler = null;
        node.Membership = null;
        node.Unchoker = null;
        node.NextPlanDue = Instant.MaxValue;
    }

    /// <summary>The watch time and online time of the session end here (at a leave, or at the end of the run).</summary>
    private void CloseSession(FlowNode node)
    {
        if (node.State == PlayerState.Stalled) EndStall(node);
        if (node.PlaybackStart is { } started) node.WatchedSeconds += (_now - started).TotalSeconds;
        node.PlaybackStart = null;
        node.OnlineSeconds += (_now - node.SessionStart).TotalSeconds;
        node.SessionStart = _now;
    }

    private void Announce(FlowNode node, AnnounceEvent announceEvent)
    {
        var resource = node.Holdings!.Resource;
        var left = resource.Kind == ScenarioKind.File ? Math.Max(1, resource.FileBytes - (node.CompleteSegments * resource.SegmentBytes)) : 1;
        if (announceEvent == AnnounceEvent.Completed) left = 0;
        var (peers, size) = _tracker.Announce(node, resource, announceEvent, _now.TotalSeconds, left);
        node.LastAnnounce = _now;
        node.SwarmSize = Math.Max(1, size);
        foreach (var (index, super) in peers) node.Membership!.AddCandidate(FlowNode.IdOf(index), super);
    }

    private void MaintainAndReschedule(FlowNode node, int session)
    {
        if (!node.Online || node.Session != session) return;
        Maintain(node, session);
        Schedule(_now + MaintenanceInterval, new NodeEvent(NodeEventKind.Maintain, node.Index, session));
    }

    private void Maintain(FlowNode node, int session)
    {
        if (!node.Online || node.Session != session) return;
        var membership = node.Membership!;
        CatchUpWithLive(node);
        node.SwarmSize = Math.Max(1, node.Holdings!.Resource.Online);
        if (_now - node.LastAnnounce >= TimeSpan.FromSeconds(_flow.ReannounceSeconds) && node.Links.Count < _membership.MaxNeighbours)
            Announce(node, AnnounceEvent.None);
        var toConnect = membership.ToConnect();
        for (var i = 0; i < toConnect.Count; i++) Connect(node, _nodes[toConnect[i].Value - 1]);

        // Membership only scores its neighbours when a replacement is due.
        if (membership.IsReplaceDue(_now) && membership.WorstToReplace(_now, Scores(node)) is { } worst) Disconnect(node, _nodes[worst.Value - 1]);
        if (node.Unchoker!.IsDue(_now)) Rechoke(node);
    }

    private IEnumerable<NeighbourScore> Scores(FlowNode node) => node.Links.Select(l => new NeighbourScore(
        FlowNode.IdOf(l.Key), l.Value.Rtt, l.Value.Download.RateAt(_now), l.Value.BytesFromThem, l.Value.BytesToThem, _nodes[l.Key].SuperPeer));

    private void Connect(FlowNode node, FlowNode other)
    {
        var membership = node.Membership!;
        if (other == node || !other.Online || other.Holdings!.Resource != node.Holdings!.Resource || Blocked(node, other) ||
            other.Membership!.IsBanned(node.Id))
        {
            membership.ConnectFailed(other.Id);
            return;
        }
        if (node.Links.ContainsKey(other.Index))
        {
            membership.Connected(other.Id, _now);
            return;
        }
        if (!other.Membership.Connected(node.Id, _now))
        {
            membership.ConnectFailed(other.Id);
            return;
        }
        if (!membership.Connected(other.Id, _now))
        {
            other.Membership.Disconnected(node.Id);
            return;
        }
        var rtt = _latency.Rtt(node, other);
        var mine = new NeighbourLink(rtt, _now);
        var theirs = new NeighbourLink(rtt, _now) { Back = mine };
        mine.Back = theirs;
        node.Links[other.Index] = mine;
        other.Links[node.Index] = theirs;
        PlanSoon(node);
        PlanSoon(other);
    }

    private void Disconnect(FlowNode a, FlowNode b)
    {
        Detach(a, b);
        Detach(b, a);
    }

    /// <summary>One side forgets the other: its requests to it, its uploads to it, its choke state.</summary>
    private void Detach(FlowNode node, FlowNode other)
    {
        if (!node.Links.Remove(other.Index, out var link)) return;
        node.Membership?.Disconnected(other.Id);
        node.Unchoker?.Forget(other.Id);
        node.Scheduler?.Book.RemoveNeighbour(other.Id);
        DropUploads(link);
        PlanSoon(node);
    }

    /// <summary>Forgets the requests a neighbour made of us (the link's upload queue), cancelling what was being sent.</summary>
    private void DropUploads(NeighbourLink link)
    {
        if (link.Uploads is not { } queue) return;
        link.Uploads = null;
        foreach (var transfer in queue) _network.Cancel(transfer);
    }

    /// <summary>The engine's Rechoke, over the flow model's state: only neighbours that asked are choked.</summary>
    private void Rechoke(FlowNode node)
    {
        // The main thread's buffers, reused: 10,000 viewers rechoke a thousand times a second between them.
        var interested = _interested;
        interested.Clear();
        var links = node.Links;
        if (_askedSlots.Length < links.Used) _askedSlots = new bool[links.Used * 2];
        var asked = _askedSlots;
        var window = _upload.RechokeInterval * 2;
        var resource = node.Holdings!.Resource;
        var playhead = node.Playhead;
        // Table order (the order the engine's candidates come in); the slot also names the link for the loop below.
        for (var slot = 0; slot < links.Used; slot++)
        {
            asked[slot] = false;
            if (links.LinkAt(slot) is not { } link || link.LastRequestFromThem is not { } last || _now - last > window) continue;
            TimeSpan? tightest = null;
            if (link.Uploads is { } queue)
                foreach (var transfer in queue)
                {
                    var timing = resource.Timing(transfer.Piece.SegmentSequence);
                    var until = playhead.DeadlineOf(timing.MediaTimeOf(transfer.Piece.PieceIndex), _now) - _now;
                    if (tightest is null || until < tightest) tightest = until;
                }
            asked[slot] = true;
            interested.Add(new UploadCandidate(FlowNode.IdOf(links.KeyAt(slot)), tightest, link.Download.RateAt(_now)));
        }
        var unchoker = node.Unchoker!;
        unchoker.Rechoke(_now, interested);
        // Neighbours in index order (so that the plans this asks for queue in one order), each with its slot.
        var order = _linkOrder;
        order.Clear();
        for (var slot = 0; slot < links.Used; slot++)
            if (links.KeyAt(slot) is var index and >= 0) order.Add(((long)index << 32) | (uint)slot);
        CollectionsMarshal.AsSpan(order).Sort();
        foreach (var entry in order)
        {
            var index = (int)(entry >> 32);
            var slot = (int)(entry & uint.MaxValue);
            var mine = links.LinkAt(slot)!;
            if (unchoker.Unchoked.Contains(FlowNode.IdOf(index)))
            {
                if (mine.ChokingThem)
                {
                    mine.ChokingThem = false;
                    if (mine.Back is { } back) back.ChokesMe = false;
                    PlanSoon(_nodes[index]);
                }
                continue;
            }
            if (!asked[slot] || mine.ChokingThem) continue;
            mine.ChokingThem = true;
            // RFC 7574 §8.12: a choking peer drops the requests it had, and the chokee forgets them.
            DropUploads(mine);
            var chokee = _nodes[index];
            if (mine.Back is { } link) link.ChokesMe = true;
            chokee.Scheduler?.Book.RemoveNeighbour(node.Id);
            PlanSoon(chokee);
        }
    }

    private static int PieceLength(FlowResource resource, PieceId piece) => resource.Timing(piece.SegmentSequence).PieceLength(piece.PieceIndex);
}
