using System.Diagnostics;
using Shoal.Engine;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>
/// When each node's scheduler runs, and the planning phase of a step: the passes of every node due are built in
/// parallel (each reads only state no one writes during the phase) and applied in node order.
/// </summary>
internal sealed partial class FlowRun
{
    // Passes a thread claims at once: enough to keep the claim counter off the hot path, few enough to share the tail.
    private const int PlanChunk = 8;

    private readonly List<FlowNode> _due = [];
    private readonly List<(long, long, int)> _queuedPlans = [];
    // One plan object per slot of the parallel phase, reused pass after pass (the scheduler clears it).
    private SchedulePlan[] _planned = [];
    private bool[] _built = [];
    // 1 once the slot's pass is built (written by the thread that built it, read by the one that applies).
    private int[] _ready = [];
    private int _claimed;
    private long _applyingTicksThisStep;
    private readonly SchedulePlan _planNow = new();

    /// <summary>Asks for the node's scheduler to run at the next step (not sooner than the minimum plan interval).</summary>
    private void PlanSoon(FlowNode node)
    {
        if (!node.Online) return;
        var due = node.LastPlan + _planMin;
        if (due < _now) due = _now;
        QueuePlan(node, due);
    }

    /// <summary>Runs the node's scheduler at once, outside the parallel phase (for a node that has just joined).</summary>
    private void PlanNow(FlowNode node)
    {
        node.LastPlan = _now;
        Conclude(node, BuildPlan(node, _now, _planNow), _planNow, _now);
        _eventsRun++;
        QueuePlan(node, _now + _planTick);
    }

    private void QueuePlan(FlowNode node, Instant due)
    {
        if (due >= node.NextPlanDue) return;
        node.NextPlanDue = due;
        _plans.Add(due.Microseconds, node.Index, node.Index);
    }

    private void RunPlans(Instant now)
    {
        var due = _due;
        due.Clear();
        var queued = _queuedPlans;
        queued.Clear();
        _plans.TakeBefore(now.Microseconds + 1, queued);
        foreach (var (at, _, index) in queued)
        {
            var node = _nodes[index];
            if (!node.Online || node.NextPlanDue.Microseconds != at) continue;
            node.NextPlanDue = Instant.MaxValue;
            due.Add(node);
        }
        if (due.Count == 0) return;
        if (_planned.Length < due.Count)
        {
            var grown = new SchedulePlan[Math.Max(due.Count, _planned.Length * 2)];
            _planned.CopyTo(grown, 0);
            for (var i = _planned.Length; i < grown.Length; i++) grown[i] = new SchedulePlan();
            _planned = grown;
            _built = new bool[grown.Length];
            _ready = new int[grown.Length];
        }
        var started = Stopwatch.GetTimestamp();
        _applyingTicksThisStep = 0;
        if (due.Count >= 32 && _workers.Count > 1)
        {
            _claimed = 0;
            Array.Clear(_ready, 0, due.Count);
            _workers.Run(w =>
            {
                if (w == 0) BuildAndApply(due, now);
                else while (TryBuildChunk(due, now)) { }
            });
        }
        else
        {
            for (var i = 0; i < due.Count; i++) _built[i] = BuildPlan(due[i], now, _planned[i]);
            for (var i = 0; i < due.Count; i++) ApplyPass(i, now);
        }
        _applyingTicks += _applyingTicksThisStep;
        _planningTicks += Stopwatch.GetTimestamp() - started - _applyingTicksThisStep;
        _eventsRun += due.Count;
    }

    /// <summary>
    /// The main thread's share of a parallel step: it applies the passes in node order as soon as each is built, and
    /// builds chunks itself while the next one is not ready. Applying changes nothing a pass reads (senders' upload
    /// queues, the network, counters), so passes still being built see the same state as if every pass had been built
    /// before the first was applied, and the history is the same whatever the thread count.
    /// </summary>
    private void BuildAndApply(List<FlowNode> due, Instant now)
    {
        var next = 0;
        var spin = new SpinWait();
        while (next < due.Count)
        {
            if (Volatile.Read(ref _ready[next]) == 1)
            {
                ApplyPass(next++, now);
                spin.Reset();
                continue;
            }
            // Another thread holds the next chunk: build one of our own meanwhile, or wait briefly (never a sleep).
            if (!TryBuildChunk(due, now)) spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Claims the next chunk of passes and builds them; false once every pass is claimed.</summary>
    private bool TryBuildChunk(List<FlowNode> due, Instant now)
    {
        var first = Interlocked.Add(ref _claimed, PlanChunk) - PlanChunk;
        if (first >= due.Count) return false;
        var last = Math.Min(first + PlanChunk, due.Count);
        for (var i = first; i < last; i++)
        {
            _built[i] = BuildPlan(due[i], now, _planned[i]);
            Volatile.Write(ref _ready[i], 1);
        }
        return true;
    }

    private void ApplyPass(int i, Instant now)
    {
        var started = Stopwatch.GetTimestamp();
        var node = _due[i];
        node.LastPlan = now;
        Conclude(node, _built[i], _planned[i], now);
        QueuePlan(node, now + _planTick);
        _applyingTicksThisStep += Stopwatch.GetTimestamp() - started;
    }

    /// <summary>A pass is over: its plan, if it built one, is applied, and the pass counted (empty when it changed nothing).</summary>
    private void Conclude(FlowNode node, bool built, SchedulePlan plan, Instant now)
    {
        _passes++;
        if (!built || (plan.Requests.Count == 0 && plan.Cancels.Count == 0 && plan.OriginRanges.Count == 0)) _emptyPasses++;
        if (built) Apply(node, plan, now);
    }
}
