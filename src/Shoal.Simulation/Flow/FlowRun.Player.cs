using Shoal.Engine;
using Shoal.Engine.Scheduling;
using Shoal.Simulation.Scenarios;
using Shoal.Tracker.Udp;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The player, as the packet simulator's viewer plays: it starts when its first segment is whole, plays segment after
/// segment in real time, stalls when the next is missing, and seeks; a file download's playhead is the end of its
/// whole prefix, moving at the target rate.
/// </summary>
internal sealed partial class FlowRun
{
    private void StartPlayer(FlowNode node)
    {
        var resource = node.Holdings!.Resource;
        node.PlayToken++;
        if (resource.Kind == ScenarioKind.File)
        {
            node.Segment = 0;
            node.State = PlayerState.Starting;
            node.Playhead = new Playhead(_now, 0, 1);
            return;
        }
        node.Segment = resource.Kind == ScenarioKind.Live ? resource.LiveStartSegment(_now.TotalSeconds) : 0;
        node.State = PlayerState.Starting;
        node.StateSince = _now;
        node.Playhead = new Playhead(_now, resource.Timing(node.Segment).MediaStart, 0);
    }

    private void SegmentComplete(FlowNode node, long sequence, Instant at)
    {
        var resource = node.Holdings!.Resource;
        if (resource.Kind == ScenarioKind.File)
        {
            FileSegmentComplete(node, resource, sequence, at);
            return;
        }
        if (sequence == node.Segment && node.State is PlayerState.Starting or PlayerState.Seeking or PlayerState.Stalled) Resume(node, at);
    }

    private void Resume(FlowNode node, Instant at)
    {
        switch (node.State)
        {
            case PlayerState.Starting:
                node.Startups.Add((at - node.StateSince).TotalSeconds);
                node.PlaybackStart = at;
                break;
            case PlayerState.Seeking:
                node.Seeks.Add((at - node.StateSince).TotalSeconds);
                break;
            case PlayerState.Stalled:
                node.StallSeconds += (at - node.StateSince).TotalSeconds;
                break;
        }
        StartSegment(node, at);
    }

    private void StartSegment(FlowNode node, Instant at)
    {
        var resource = node.Holdings!.Resource;
        var timing = resource.Timing(node.Segment);
        Deliver(node, resource, node.Segment);
        if (resource.Kind == ScenarioKind.Live)
        {
            node.LagSum += at.TotalSeconds - resource.PublishedAt(node.Segment);
            node.LagCount++;
        }
        node.SegmentPlayStart = at;
        node.State = PlayerState.Playing;
        node.Playhead = new Playhead(at, timing.MediaStart, 1);
        var token = ++node.PlayToken;
        var session = node.Session;
        Schedule(at + TimeSpan.FromSeconds(timing.Duration), new NodeEvent(NodeEventKind.SegmentEnd, node.Index, session, token));
    }

    private void SegmentEnd(FlowNode node, int session, long token)
    {
        if (!node.Online || node.Session != session || node.PlayToken != token || node.State != PlayerState.Playing) return;
        var resource = node.Holdings!.Resource;
        var end = _now;
        var next = node.Segment + 1;
        if (next >= resource.SegmentCount)
        {
            node.State = PlayerState.Finished;
            // A VOD viewer who reached the end of the title stops watching; a live stream that ends with the run just stops.
            if (resource.Kind == ScenarioKind.Vod) StopWatching(node);
            return;
        }
        node.Segment = next;
        if (node.Holdings.IsComplete(next))
        {
            StartSegment(node, end);
            return;
        }
        node.State = PlayerState.Stalled;
        node.StateSince = end;
        node.Stalls++;
        node.Playhead = new Playhead(end, resource.Timing(next).MediaStart, 0);
        PlanSoon(node);
    }

    private void Seek(FlowNode node, double fraction)
    {
        if (!node.Online || node.State is PlayerState.Idle or PlayerState.Starting or PlayerState.Finished) return;
        if (node.State == PlayerState.Stalled) EndStall(node);
        var resource = node.Holdings!.Resource;
        node.Segment = Math.Clamp((long)(fraction * resource.SegmentCount), 0, resource.SegmentCount - 1);
        node.State = PlayerState.Seeking;
        node.StateSince = _now;
        node.PlayToken++;
        node.Playhead = new Playhead(_now, resource.Timing(node.Segment).MediaStart, 0);
        if (node.Holdings.IsComplete(node.Segment)) Resume(node, _now);
        else PlanSoon(node);
    }

    /// <summary>
    /// A live player whose position fell out of the playlist's window (it stalled too long) jumps to the live start
    /// position, as hls.js does: the stall goes on until that segment is whole, and what it skipped is never played.
    /// </summary>
    private void CatchUpWithLive(FlowNode node)
    {
        var resource = node.Holdings!.Resource;
        if (resource.Kind != ScenarioKind.Live || node.State is not (PlayerState.Stalled or PlayerState.Starting)) return;
        if (node.Segment >= resource.AvailableStart(_now.TotalSeconds)) return;
        node.Segment = resource.LiveStartSegment(_now.TotalSeconds);
        node.PlayToken++;
        node.Playhead = new Playhead(_now, resource.Timing(node.Segment).MediaStart, 0);
        node.LiveJumps++;
        if (node.Holdings.IsComplete(node.Segment)) Resume(node, _now);
        else PlanSoon(node);
    }

    /// <summary>
    /// A VOD viewer's session ends: the player stops, and the node keeps serving what it cached for seed_for_s (a node's
    /// disk cache) before it leaves; with no seeding time it leaves at once.
    /// </summary>
    private void StopWatching(FlowNode node)
    {
        if (!node.Online || node.State == PlayerState.Finished) return;
        var seedFor = _flow.Arrivals.SeedForSeconds;
        if (node.Holdings!.Resource.Kind != ScenarioKind.Vod || seedFor <= 0)
        {
            Leave(node);
            return;
        }
        if (node.State == PlayerState.Stalled) EndStall(node);
        if (node.PlaybackStart is { } started) node.WatchedSeconds += (_now - started).TotalSeconds;
        node.PlaybackStart = null;
        node.State = PlayerState.Finished;
        node.PlayToken++;
        var session = node.Session;
        Schedule(_now + TimeSpan.FromSeconds(seedFor), () =>
        {
            if (node.Session == session) Leave(node);
        });
    }

    private void EndStall(FlowNode node)
    {
        node.StallSeconds += (_now - node.StateSince).TotalSeconds;
        node.StateSince = _now;
    }

    private void FileSegmentComplete(FlowNode node, FlowResource resource, long sequence, Instant at)
    {
        Deliver(node, resource, sequence);
        node.CompleteSegments++;
        if (sequence == node.Segment)
        {
            while (node.Segment < resource.SegmentCount && node.Holdings!.IsComplete(node.Segment)) node.Segment++;
            var prefix = node.Segment < resource.SegmentCount ? resource.Timing(node.Segment).MediaStart : resource.Timing(resource.SegmentCount - 1).MediaEnd;
            node.Playhead = new Playhead(at, prefix, 1);
        }
        if (node.CompleteSegments < resource.SegmentCount) return;
        node.Completions.Add((at - node.SessionStart).TotalSeconds);
        node.State = PlayerState.Finished;
        Announce(node, AnnounceEvent.Completed);
        var session = node.Session;
        Schedule(at + TimeSpan.FromSeconds(_flow.Arrivals.SeedForSeconds), () =>
        {
            if (node.Session == session) Leave(node);
        });
    }

    private void Deliver(FlowNode node, FlowResource resource, long sequence)
    {
        var length = resource.Timing(sequence).Length;
        node.BytesToPlayer += length;
        _toPlayers += length;
        _delivered[resource.Index][sequence] = true;
    }
}
