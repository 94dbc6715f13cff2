using System.Runtime.InteropServices;
using Shoal.Engine;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The fluid network model. Every transfer is a flow; each step, each receiver's downlink is split equally among the
/// flows arriving at it, and each sender's uplink is shared max-min fairly among its flows given those downlink
/// shares (water-filling: a flow the receiver limits gets what the receiver allows, the rest split what is left).
/// The origin serves requests in arrival order, as the packet simulator's origin does: each takes what its receiver's
/// downlink share allows from the capacity the earlier ones left (within a step too), and a request that finds none
/// left waits (an origin queue). Capacity a
/// receiver cannot use is not handed to other senders' flows within the step: one pass of max-min fairness, exact when
/// the bottleneck of every flow is at one end. A flow starts one RTT (origin: latency + RTT/2) after its request.
/// </summary>
internal sealed class FlowNetwork
{
    private readonly FlowNode[] _nodes;
    private readonly double _originBytesPerSecond;
    private readonly List<Transfer>?[] _bySender;
    private readonly List<int> _busySenders = [];
    private readonly bool[] _busy;
    private readonly int[] _incoming;
    private readonly List<Transfer> _origin = [];
    private readonly StepWheel<Transfer> _pending;
    private readonly List<(long, long, Transfer)> _starting = [];
    private readonly List<Transfer> _completed = [];
    private (long, long)[] _completedKeys = new (long, long)[1024];
    // The senders' part of a step runs on these threads (each sender's flows are its own); each keeps its own list of
    // finished flows, merged and put in one order afterwards.
    private readonly StripedWorkers? _workers;
    private readonly List<Transfer>[] _completedBy;
    private long _nextId;

    private readonly bool _originViaDownlink;

    /// <summary>Below this many busy senders a step is cheaper on one thread than the hand-over to the others.</summary>
    private const int ParallelSenders = 256;

    /// <param name="step">The step the run advances by (flows waiting to start are bucketed by it; any step gives the same result).</param>
    public FlowNetwork(FlowNode[] nodes, double originBytesPerSecond, bool originViaDownlink, StripedWorkers? workers = null, TimeSpan? step = null)
    {
        _pending = new StepWheel<Transfer>(step ?? TimeSpan.FromMilliseconds(100));
        _workers = workers;
        _completedBy = new List<Transfer>[workers?.Count ?? 1];
        for (var i = 0; i < _completedBy.Length; i++) _completedBy[i] = [];
        _originViaDownlink = originViaDownlink;
        _nodes = nodes;
        _originBytesPerSecond = originBytesPerSecond;
        _bySender = new List<Transfer>?[nodes.Length];
        _busy = new bool[nodes.Length];
        _incoming = new int[nodes.Length];
    }

    public long NextId() => ++_nextId;

    public int ActiveFlows { get; private set; }

    /// <summary>Bytes the origin sent during the last step (for its peak rate; completed ranges are counted whole elsewhere).</summary>
    public double OriginBytesLastStep { get; private set; }

    public void Start(Transfer transfer)
    {
        transfer.Remaining = transfer.Bytes;
        transfer.ReceiverDownBytesPerSecond = _nodes[transfer.Receiver].DownBytesPerSecond;
        _pending.Add(transfer.ActiveFrom.Microseconds, transfer.Id, transfer);
    }

    public void Cancel(Transfer transfer)
    {
        if (transfer.Cancelled) return;
        transfer.Cancelled = true;
        if (!transfer.Active) return;
        transfer.Active = false;
        ActiveFlows--;
        if (Shares(transfer)) _incoming[transfer.Receiver]--;
        if (transfer.FromOrigin) _origin.Remove(transfer);
        else _bySender[transfer.Sender]!.Remove(transfer);
    }

    /// <summary>Moves every flow on by one step; returns the flows that finished, in the order their last bytes arrived.</summary>
    public List<Transfer> Advance(Instant from, TimeSpan step)
    {
        // A flow that starts within the step takes part in it from its start on, so that no flow waits for a step boundary.
        var end = from + step;
        _starting.Clear();
        _pending.TakeBefore(end.Microseconds, _starting);
        foreach (var (_, _, next) in _starting)
        {
            if (next.Cancelled) continue;
            next.Active = true;
            ActiveFlows++;
            if (Shares(next)) _incoming[next.Receiver]++;
            if (next.FromOrigin) _origin.Add(next);
            else
            {
                var list = _bySender[next.Sender] ??= [];
                list.Add(next);
                if (!_busy[next.Sender])
                {
                    _busy[next.Sender] = true;
                    _busySenders.Add(next.Sender);
                }
            }
        }

        _completed.Clear();
        OriginBytesLastStep = 0;
        for (var i = 0; i < _busySenders.Count; i++)
        {
            var sender = _busySenders[i];
            if (_bySender[sender]!.Count > 0) continue;
            _busy[sender] = false;
            _busySenders[i] = _busySenders[^1];
            _busySenders.RemoveAt(_busySenders.Count - 1);
            i--;
        }
        // Each sender's sharing reads only its own flows and the receivers' flow counts, which no sender changes: the
        // senders may go in any order, on any thread. What finishes is put in one order below, whatever the split.
        if (_workers is { Count: > 1 } workers && _busySenders.Count >= ParallelSenders)
        {
            var stride = workers.Count;
            workers.Run(w =>
            {
                var done = _completedBy[w];
                for (var i = w; i < _busySenders.Count; i += stride) AdvanceSender(_busySenders[i], from, end, done);
            });
            foreach (var done in _completedBy)
            {
                _completed.AddRange(done);
                done.Clear();
            }
        }
        else
            foreach (var sender in _busySenders) AdvanceSender(sender, from, end, _completed);
        if (_origin.Count > 0) ServeOrigin(from, end);
        foreach (var done in _completed)
        {
            ActiveFlows--;
            if (Shares(done)) _incoming[done.Receiver]--;
            done.Active = false;
        }
        SortCompleted();
        return _completed;
    }

    /// <summary>
    /// Puts the finished flows in the order their last bytes arrived (ties by number), sorting copies of the two keys
    /// rather than comparing through the flows: a step finishes thousands, and this runs on the main thread alone.
    /// </summary>
    private void SortCompleted()
    {
        var count = _completed.Count;
        if (_completedKeys.Length < count) _completedKeys = new (long, long)[Math.Max(count, _completedKeys.Length * 2)];
        var keys = _completedKeys.AsSpan(0, count);
        var flows = CollectionsMarshal.AsSpan(_completed);
        for (var i = 0; i < count; i++) keys[i] = (flows[i].CompletedAt.Microseconds, flows[i].Id);
        keys.Sort(flows);
    }

    private void AdvanceSender(int sender, Instant from, Instant end, List<Transfer> completed)
    {
        var flows = _bySender[sender]!;
        WaterFill(flows, _nodes[sender].UpBytesPerSecond);
        Progress(flows, from, end, completed);
    }

    /// <summary>Whether the flow takes a share of its receiver's downlink.</summary>
    private bool Shares(Transfer flow) => _originViaDownlink || !flow.FromOrigin;

    /// <summary>
    /// The origin's step: requests in arrival order take bytes from the step's budget, each up to what its receiver's
    /// downlink share allows; capacity a request leaves when it finishes goes on to the next within the same step, so a
    /// fast origin is never held to one response per step.
    /// </summary>
    private void ServeOrigin(Instant from, Instant end)
    {
        var seconds = (end - from).TotalSeconds;
        var budget = _originBytesPerSecond * seconds;
        var sent = 0.0;
        var kept = 0;
        for (var i = 0; i < _origin.Count; i++)
        {
            var flow = _origin[i];
            var downRate = _originViaDownlink ? DownShare(flow) : double.PositiveInfinity;
            var start = flow.ActiveFrom > from ? (flow.ActiveFrom - from).TotalSeconds : 0;
            var take = Math.Min(Math.Min(flow.Remaining, downRate * (seconds - start)), budget - sent);
            if (take <= 0)
            {
                flow.Rate = 0;
                _origin[kept++] = flow;
                continue;
            }
            flow.Rate = take / seconds;
            OriginBytesLastStep += take;
            if (take < flow.Remaining)
            {
                flow.Remaining -= take;
                sent += take;
                _origin[kept++] = flow;
                continue;
            }
            // Its last byte leaves once the bytes ahead of it in this step are out, and no sooner than its downlink allows.
            var at = Math.Max((sent + take) / _originBytesPerSecond, start + (take / downRate));
            flow.CompletedAt = from + TimeSpan.FromSeconds(Math.Min(at, seconds));
            flow.Remaining = 0;
            sent += take;
            _completed.Add(flow);
        }
        _origin.RemoveRange(kept, _origin.Count - kept);
    }

    private double DownShare(Transfer flow) => flow.ReceiverDownBytesPerSecond / Math.Max(1, _incoming[flow.Receiver]);

    private void WaterFill(List<Transfer> flows, double capacity)
    {
        foreach (var flow in flows) flow.Rate = -1;
        var left = capacity;
        var open = flows.Count;
        while (open > 0)
        {
            var share = left / open;
            var fixedAny = false;
            foreach (var flow in flows)
            {
                if (flow.Rate >= 0) continue;
                var cap = DownShare(flow);
                if (cap > share) continue;
                flow.Rate = cap;
                left -= cap;
                open--;
                fixedAny = true;
            }
            if (fixedAny) continue;
            foreach (var flow in flows)
                if (flow.Rate < 0) flow.Rate = share;
            break;
        }
    }

    private static void Progress(List<Transfer> flows, Instant from, Instant end, List<Transfer> completed)
    {
        for (var i = flows.Count - 1; i >= 0; i--)
        {
            var flow = flows[i];
            var start = flow.ActiveFrom > from ? flow.ActiveFrom : from;
            var seconds = (end - start).TotalSeconds;
            var bytes = flow.Rate * seconds;
            if (bytes < flow.Remaining)
            {
                flow.Remaining -= bytes;
                continue;
            }
            var within = flow.Rate > 0 ? flow.Remaining / flow.Rate : seconds;
            flow.CompletedAt = start + TimeSpan.FromSeconds(within);
            flow.Remaining = 0;
            flows.RemoveAt(i);
            completed.Add(flow);
        }
    }
}
