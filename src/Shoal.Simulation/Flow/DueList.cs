namespace Shoal.Simulation.Flow;

/// <summary>
/// The items of one step, taken from a <see cref="StepWheel{T}"/> in (instant, tie) order and then run one at a time.
/// An item added while the step runs and due within it takes its place among those not yet run, where a priority queue
/// would have put it (never before the next one to run: what ran is past).
/// </summary>
internal sealed class DueList<T>
{
    private readonly List<(long Time, long Tie, T Item)> _items = [];
    private int _next;

    /// <summary>Replaces the list by the wheel's items due before <paramref name="until"/>.</summary>
    public void Load(StepWheel<T> wheel, long until)
    {
        _items.Clear();
        _next = 0;
        wheel.TakeBefore(until, _items);
    }

    public bool TryPeek(out long time, out long tie)
    {
        if (_next >= _items.Count)
        {
            (time, tie) = (0, 0);
            return false;
        }
        (time, tie, _) = _items[_next];
        return true;
    }

    public T Take() => _items[_next++].Item;

    public void Insert(long time, long tie, T item)
    {
        var place = _next;
        while (place < _items.Count && (_items[place].Time, _items[place].Tie).CompareTo((time, tie)) < 0) place++;
        _items.Insert(place, (time, tie, item));
    }
}
