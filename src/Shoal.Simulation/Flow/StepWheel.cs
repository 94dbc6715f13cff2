using System.Runtime.InteropServices;

namespace Shoal.Simulation.Flow;

/// <summary>
/// Items keyed by an instant (µs) and a tie-break, taken out a step at a time in key order: the order a priority queue
/// gives, but adding is an append to the bucket of the item's instant, and taking out sorts only the items due. The flow
/// simulator adds thousands of flows and plans each step and takes out as many; a heap paid a logarithmic climb through
/// a large array for each, on the main thread alone. Buckets are <c>width</c> µs wide, in a ring that covers
/// <c>buckets × width</c> µs ahead; an item further ahead waits in a priority queue, and one added after its own bucket
/// was emptied waits in a list taken whole at the next call. Any width gives the same order.
/// </summary>
internal sealed class StepWheel<T>
{
    private readonly long _width;
    private readonly List<(long Time, long Tie, T Item)>[] _ring;
    private readonly int _mask;
    private readonly PriorityQueue<T, (long Time, long Tie)> _far = new();
    private readonly List<(long Time, long Tie, T Item)> _overdue = [];
    private readonly List<(long Time, long Tie)> _keys = [];
    // The first bucket that may still hold items (every bucket before it is empty).
    private long _next;

    public StepWheel(TimeSpan width, int buckets = 64)
    {
        if (width <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(width), width, "A bucket must be wider than zero.");
        _width = (long)width.TotalMicroseconds;
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, buckets));
        _ring = new List<(long, long, T)>[size];
        for (var i = 0; i < size; i++) _ring[i] = [];
        _mask = size - 1;
    }

    public int Count { get; private set; }

    public void Add(long time, long tie, T item)
    {
        Count++;
        var bucket = BucketOf(time, out _);
        // An item due before the first bucket still in use is due at the next call, whatever its cut-off.
        if (bucket < _next) _overdue.Add((time, tie, item));
        else if (bucket - _next >= _ring.Length) _far.Enqueue(item, (time, tie));
        else _ring[bucket & _mask].Add((time, tie, item));
    }

    private long BucketOf(long time, out long rest) => Math.DivRem(time, _width, out rest) - (rest < 0 ? 1 : 0);

    /// <summary>Appends to <paramref name="due"/> every item whose instant is before <paramref name="until"/>, in (instant, tie) order.</summary>
    public void TakeBefore(long until, List<(long Time, long Tie, T Item)> due)
    {
        var from = due.Count;
        _keys.Clear();
        foreach (var (time, tie, item) in _overdue) Take(time, tie, item, due);
        _overdue.Clear();
        while (_far.TryPeek(out var item, out var key) && key.Time < until)
        {
            _far.Dequeue();
            Take(key.Time, key.Tie, item, due);
        }
        // Whole buckets first, then the part of the bucket that holds `until` (the rest of it stays for the next call).
        // Once every item is taken the buckets left before `end` are empty, so the walk stops there (after an idle
        // stretch `end` can be far ahead).
        var end = BucketOf(until, out var rest);
        for (; _next < end && Count > due.Count - from; _next++)
        {
            var bucket = _ring[_next & _mask];
            foreach (var (time, tie, item) in bucket) Take(time, tie, item, due);
            bucket.Clear();
        }
        if (_next < end) _next = end;
        if (_next == end && rest != 0)
        {
            var bucket = _ring[_next & _mask];
            var kept = 0;
            for (var i = 0; i < bucket.Count; i++)
            {
                var entry = bucket[i];
                if (entry.Time < until) Take(entry.Time, entry.Tie, entry.Item, due);
                else bucket[kept++] = entry;
            }
            bucket.RemoveRange(kept, bucket.Count - kept);
        }
        Count -= due.Count - from;
        CollectionsMarshal.AsSpan(_keys).Sort(CollectionsMarshal.AsSpan(due)[from..]);
    }

    private void Take(long time, long tie, T item, List<(long Time, long Tie, T Item)> due)
    {
        _keys.Add((time, tie));
        due.Add((time, tie, item));
    }
}
