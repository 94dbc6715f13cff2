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
    // The flows waiting to start, striped like the workers: a sender's flows (and all of the origin's, in stripe 0)
    // wait in one wheel, so each worker starts its own in their (instant, number) order. The order across senders
    // changes nothing: a sender's share reads only its own flows, and the counts of receivers' flows are sums.
    private readonly StepWheel<Transfer>[] _pending;
    private readonly List<(long, long, Transfer)>[] _startingBy;
    private readonly List<Transfer> _completed = [];
    private readonly List<Transfer> _originCompleted = [];
    private (long, long)[] _completedKeys = new (long, long)[1024];
    // The senders' part of a step runs on these threads (each sender's flows are its own); each keeps its own list of
    // finished flows, merged and put in one order afterwards.
    private readonly StripedWorkers? _workers;
    private readonly List<Transfer>[] _completedBy;
    private readonly (long, long)[][] _completedKeysBy;
    // Per worker: the senders it made busy, and the flows it started less those it saw finish, added up after each part.
    private readonly List<int>[] _busiedBy;
    private readonly int[] _activeChangeBy;
    private long _nextId;

    private readonly bool _originViaDownlink;

    /// <summary>Below this many busy senders a step is cheaper on one thread than the hand-over to the others.</summary>
    private const int ParallelSenders = 256;

    /// <param name="step">The step the run advances by (flows waiting to start are bucketed by it; any step gives the same result).</param>
    public FlowNetwork(FlowNode[] nodes, double originBytesPerSecond, bool originViaDownlink, StripedWorkers? workers = null, TimeSpan? step = null)
    {
        _workers = workers;
        var stripes = workers?.Count ?? 1;
        _pending = new StepWheel<Transfer>[stripes];
        _startingBy = new List<(long, long, Transfer)>[stripes];
        _completedBy = new List<Transfer>[stripes];
        _completedKeysBy = new (long, long)[stripes][];
        _busiedBy = new List<int>[stripes];
        _activeChangeBy = new int[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _pending[i] = new StepWheel<Transfer>(step ?? TimeSpan.FromMilliseconds(100));
            _startingBy[i] = [];
            _completedBy[i] = [];
            _completedKeysBy[i] = new (long, long)[256];
            _busiedBy[i] = [];
        }
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
        _pending[StripeOf(transfer)].Add(transfer.ActiveFrom.Microseconds, transfer.Id, transfer);
    }

    private int StripeOf(Transfer transfer) => transfer.FromOrigin ? 0 : transfer.Sender % _pending.Length;

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
        var end = from + step;
        _completed.Clear();
        _originCompleted.Clear();
        OriginBytesLastStep = 0;
        if (_workers is { Count: > 1 } workers && _busySenders.Count >= ParallelSenders) AdvanceInParallel(workers, from, end);
        else AdvanceOnOneThread(from, end);
        return _completed;
    }

    private void AdvanceOnOneThread(Instant from, Instant end)
    {
        for (var stripe = 0; stripe < _pending.Length; stripe++)
        {
            _activeChangeBy[stripe] = 0;
            StartDue(stripe, end, _busySenders);
            ActiveFlows += _activeChangeBy[stripe];
        }
        for (var i = 0; i < _busySenders.Count; i++)
            if (_bySender[_busySenders[i]]!.Count == 0) _busy[_busySenders[i]] = false;
        DropIdleSenders();
        foreach (var sender in _busySenders) AdvanceSender(sender, from, end, _completed);
        if (_origin.Count > 0) ServeOrigin(from, end);
        _completed.AddRange(_originCompleted);
        _activeChangeBy[0] = 0;
        foreach (var done in _completed) Finish(done, ref _activeChangeBy[0]);
        ActiveFlows += _activeChangeBy[0];
        SortCompleted();
    }

    /// <summary>
    /// The step in three parts on the workers, the in-order rest between them on the caller. Each worker starts the
    /// flows of its stripe; then shares out the uplinks of its share of the busy senders (a sender's sharing reads only
    /// its own flows and the receivers' counts of flows, which no sender changes); then, after the origin's turn (which
    /// reads those counts too), lets go of the flows it saw finish and sorts them. Their lists are merged into one
    /// order, the order of the one-thread step, whatever the split.
    /// </summary>
    private void AdvanceInParallel(StripedWorkers workers, Instant from, Instant end)
    {
        workers.Run(w =>
        {
            _activeChangeBy[w] = 0;
            _busiedBy[w].Clear();
            StartDue(w, end, _busiedBy[w]);
        });
        for (var w = 0; w < workers.Count; w++)
        {
            _busySenders.AddRange(_busiedBy[w]);
            ActiveFlows += _activeChangeBy[w];
        }
        var stride = workers.Count;
        workers.Run(w =>
        {
            var done = _completedBy[w];
            done.Clear();
            for (var i = w; i < _busySenders.Count; i += stride)
            {
                var sender = _busySenders[i];
                // One left idle (its last flow finished or was cancelled) is dropped from the list below.
                if (_bySender[sender]!.Count == 0) _busy[sender] = false;
                else AdvanceSender(sender, from, end, done);
            }
        });
        DropIdleSenders();
        if (_origin.Count > 0) ServeOrigin(from, end);
        // The origin's finished flows go with worker 0's: they are few, and both lists are sorted together.
        _completedBy[0].AddRange(_originCompleted);
        workers.Run(w =>
        {
            _activeChangeBy[w] = 0;
            var done = _completedBy[w];
            foreach (var flow in done) Finish(flow, ref _activeChangeBy[w]);
            SortByArrival(done, ref _completedKeysBy[w]);
        });
        for (var w = 0; w < workers.Count; w++) ActiveFlows += _activeChangeBy[w];
        MergeByArrival(_completedBy, _completedKeysBy, _completed);
    }

    /// <summary>Starts the flows of one stripe due before <paramref name="end"/>, in their order; notes senders made busy.</summary>
    private void StartDue(int stripe, Instant end, List<int> busied)
    {
        var starting = _startingBy[stripe];
        starting.Clear();
        _pending[stripe].TakeBefore(end.Microseconds, starting);
        // A flow that starts within the step takes part in it from its start on, so that no flow waits for a step boundary.
        foreach (var (_, _, next) in starting)
        {
            if (next.Cancelled) continue;
            next.Active = true;
            _activeChangeBy[stripe]++;
            // Receivers' counts are shared by the stripes: added atomically, they come to the same sum in any order.
            if (Shares(next)) Interlocked.Increment(ref _incoming[next.Receiver]);
            if (next.FromOrigin) _origin.Add(next);
            else
            {
                var list = _bySender[next.Sender] ??= [];
                list.Add(next);
                if (!_busy[next.Sender])
                {
                    _busy[next.Sender] = true;
                    busied.Add(next.Sender);
                }
            }
        }
    }

    /// <summary>Drops the senders marked idle from the busy list (their order in it does not matter).</summary>
    private void DropIdleSenders()
    {
        var kept = 0;
        for (var i = 0; i < _busySenders.Count; i++)
            if (_busy[_busySenders[i]]) _busySenders[kept++] = _busySenders[i];
        _busySenders.RemoveRange(kept, _busySenders.Count - kept);
    }

    private void Finish(Transfer done, ref int activeChange)
    {
        activeChange--;
        if (Shares(done)) Interlocked.Decrement(ref _incoming[done.Receiver]);
        done.Active = false;
    }

    /// <summary>
    /// Puts the finished flows in the order their last bytes arrived (ties by number), sorting copies of the two keys
    /// rather than comparing through the flows: a step finishes thousands.
    /// </summary>
    private void SortCompleted() => SortByArrival(_completed, ref _completedKeys);

    private static void SortByArrival(List<Transfer> flows, ref (long, long)[] keys)
    {
        var count = flows.Count;
        if (keys.Length < count) keys = new (long, long)[Math.Max(count, keys.Length * 2)];
        var span = CollectionsMarshal.AsSpan(flows);
        var keySpan = keys.AsSpan(0, count);
        for (var i = 0; i < count; i++) keySpan[i] = (span[i].CompletedAt.Microseconds, span[i].Id);
        keySpan.Sort(span);
    }

    /// <summary>Merges lists each sorted by its keys into <paramref name="merged"/>, in the order of the keys.</summary>
    private static void MergeByArrival(List<Transfer>[] lists, (long, long)[][] keys, List<Transfer> merged)
    {
        Span<int> next = stackalloc int[lists.Length];
        next.Clear();
        while (true)
        {
            var best = -1;
            for (var l = 0; l < lists.Length; l++)
                if (next[l] < lists[l].Count && (best < 0 || keys[l][next[l]].CompareTo(keys[best][next[best]]) < 0)) best = l;
            if (best < 0) return;
            merged.Add(lists[best][next[best]++]);
        }
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
            _originCompleted.Add(flow);
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
