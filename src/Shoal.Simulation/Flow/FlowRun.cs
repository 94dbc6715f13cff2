using System.Diagnostics;
using Shoal.Engine;
using Shoal.Engine.Peers;
using Shoal.Engine.Scheduling;
using Shoal.Engine.Uploading;
using Shoal.Simulation.Reporting;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Flow;

/// <summary>
/// One run of the flow-level simulator (DESIGN.md, "One brain, three bodies", body 3). Events (joins, leaves, seeks,
/// segment ends, maintenance, samples) run on one seeded clock; the <see cref="FlowNetwork"/> moves bytes in fixed steps;
/// every viewer runs the engine's own <see cref="PieceScheduler"/>, <see cref="Membership"/> and <see cref="Unchoker"/>,
/// and finds peers through the tracker's own store and peer-list policy. Within a step the schedulers of all viewers
/// that are due plan in parallel (each reads only state no one writes during that phase) and their plans are applied
/// in node order, so the same seed gives the same history whatever the thread count.
/// </summary>
internal sealed partial class FlowRun
{
    private const ulong FnvPrime = 1099511628211UL;

    private readonly Scenario _scenario;
    private readonly FlowSpec _flow;
    private readonly FlowNode[] _nodes;
    private readonly FlowResource[] _resources;
    private readonly FlowNetwork _network;
    private readonly FlowTracker _tracker;
    private readonly LatencyModel _latency;
    private readonly PriorityQueue<Action, (long, long)> _events = new();
    // The two events every viewer has many times a second between them, as values rather than closures; they share the
    // sequence numbers of _events, so the two queues merge into the one order the events were scheduled in.
    private readonly StepWheel<NodeEvent> _nodeEvents;
    // The node events of the step being run (until _eventsUntil, inclusive; long.MinValue between steps' events).
    private readonly DueList<NodeEvent> _dueNodeEvents = new();
    private long _eventsUntil = long.MinValue;
    private readonly StepWheel<int> _plans;
    private readonly SchedulerSettings _settings;
    private readonly MembershipSettings _membership;
    private readonly UploadSettings _upload;
    private readonly TimeSpan _step;
    private readonly TimeSpan _planTick;
    private readonly TimeSpan _planMin;
    private readonly Random _draws;
    private readonly HoldingsPool _holdings;
    private readonly IProgress<double>? _progress;
    private readonly StripedWorkers _workers;
    private long _eventSequence;
    private long _eventsRun;
    // Stopwatch ticks spent in each phase of the steps, and the passes that decided nothing (see FlowRunPhases).
    private long _networkTicks, _arrivalTicks, _eventTicks, _planningTicks, _applyingTicks;
    private long _passes, _emptyPasses;
    private ulong _trace = 14695981039346656037UL;
    private Instant _now;

    public FlowRun(Scenario scenario, IProgress<double>? progress, int threads)
    {
        _scenario = scenario;
        _flow = scenario.Flow;
        _progress = progress;
        _draws = new Random(scenario.Seed * 31 + 7);
        _step = TimeSpan.FromMilliseconds(_flow.StepMs);
        _planTick = TimeSpan.FromMilliseconds(_flow.PlanTickMs);
        _planMin = TimeSpan.FromMilliseconds(_flow.PlanMinMs);
        _settings = SchedulerSettings.Default with
        {
            LagBehindLive = TimeSpan.FromSeconds(scenario.LagSeconds),
            OriginShareLimit = scenario.OriginShareLimit,
        };
        _membership = MembershipSettings.Default with { MaxNeighbours = scenario.MaxNeighbours };
        _upload = UploadSettings.Default;
        _resources = BuildResources();
        // Before the nodes: a population too large for the pool is refused before anything is spent on it.
        _holdings = new HoldingsPool(scenario.Viewers, HoldingSlots(), _resources.Max(NodeHoldings.WordsPerSegment));
        _nodes = BuildNodes();
        _workers = new StripedWorkers(threads - 1);
        _network = new FlowNetwork(_nodes, scenario.Origin.CapacityKbps * 1000 / 8, _flow.OriginViaDownlink, _workers, _step);
        _plans = new StepWheel<int>(_step);
        _nodeEvents = new StepWheel<NodeEvent>(_step);
        _tracker = new FlowTracker(_nodes, scenario.Seed, scenario.TrackerPeers);
        _latency = new LatencyModel(_flow.RttAccessMs ?? scenario.Link.RttMs, _flow.RttSpanMs);
        _originPerSecond = new long[(int)Math.Ceiling(scenario.DurationSeconds) + 1];
        _delivered = _resources.Select(r => new bool[r.SegmentCount]).ToArray();
    }


    public FlowRunResult Run()
    {
        var clock = Stopwatch.StartNew();
        var end = Instant.FromSeconds(_scenario.DurationSeconds);
        ScheduleArrivals();
        Schedule(Instant.Zero, Sample);
        var nextProgress = 0.0;
        for (var t = Instant.Zero; t < end; t += _step)
        {
            var started = Stopwatch.GetTimestamp();
            var done = _network.Advance(t, _step);
            var advanced = Stopwatch.GetTimestamp();
            _networkTicks += advanced - started;
            _originPerSecond[Math.Min(_originPerSecond.Length - 1, (int)t.TotalSeconds)] += (long)_network.OriginBytesLastStep;
            Arrived(done);
            _eventsRun += done.Count;
            var arrived = Stopwatch.GetTimestamp();
            _arrivalTicks += arrived - advanced;
            _now = t + _step;
            RunEventsUntil(_now);
            _eventTicks += Stopwatch.GetTimestamp() - arrived;
            RunPlans(_now);
            if (_progress is not null && _now.TotalSeconds >= nextProgress)
            {
                _progress.Report(_now.TotalSeconds / _scenario.DurationSeconds);
                nextProgress += _scenario.DurationSeconds / 100;
            }
        }
        _now = end;
        if (_samples.Count == 0 || _samples[^1].TimeSeconds < end.TotalSeconds) Sample();
        foreach (var node in _nodes.Where(n => n.Online)) CloseSession(node);
        _workers.Dispose();
        clock.Stop();
        return Summarise(clock.Elapsed);
    }

    // ---- Events ----

    private void Schedule(Instant at, Action action) => _events.Enqueue(action, (at.Microseconds, ++_eventSequence));

    private void Schedule(Instant at, NodeEvent nodeEvent)
    {
        var sequence = ++_eventSequence;
        // One due within the step whose events are running joins them rather than wait for the next step.
        if (at.Microseconds <= _eventsUntil) _dueNodeEvents.Insert(at.Microseconds, sequence, nodeEvent);
        else _nodeEvents.Add(at.Microseconds, sequence, nodeEvent);
    }

    private void RunEventsUntil(Instant until)
    {
        _dueNodeEvents.Load(_nodeEvents, until.Microseconds + 1);
        _eventsUntil = until.Microseconds;
        while (true)
        {
            var hasAction = _events.TryPeek(out _, out var actionKey) && actionKey.Item1 <= until.Microseconds;
            var hasNode = _dueNodeEvents.TryPeek(out var nodeTime, out var nodeSequence);
            if (!hasAction && !hasNode) break;
            if (hasNode && (!hasAction || (nodeTime, nodeSequence).CompareTo(actionKey) < 0))
            {
                var nodeEvent = _dueNodeEvents.Take();
                _now = new Instant(nodeTime);
                Run(nodeEvent);
            }
            else
            {
                var action = _events.Dequeue();
                _now = new Instant(actionKey.Item1);
                action();
            }
            _eventsRun++;
        }
        _eventsUntil = long.MinValue;
        _now = until;
    }

    private void Run(NodeEvent nodeEvent)
    {
        var node = _nodes[nodeEvent.Node];
        switch (nodeEvent.Kind)
        {
            case NodeEventKind.Maintain:
                MaintainAndReschedule(node, nodeEvent.Session);
                break;
            case NodeEventKind.SegmentEnd:
                SegmentEnd(node, nodeEvent.Session, nodeEvent.Token);
                break;
        }
    }

    private void Mix(long a, long b, long c)
    {
        _trace = (_trace ^ (ulong)a) * FnvPrime;
        _trace = (_trace ^ (ulong)b) * FnvPrime;
        _trace = (_trace ^ (ulong)c) * FnvPrime;
    }
}
