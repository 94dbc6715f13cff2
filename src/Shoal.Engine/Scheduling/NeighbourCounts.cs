namespace Shoal.Engine.Scheduling;

/// <summary>
/// How many requests are in flight to each neighbour, for the per-neighbour bound. A short list searched in one
/// vectorised scan of the ids: a node has a few dozen neighbours at most, a pass asks for the count of every neighbour it
/// considers, and the scan of one or two cache lines is cheaper than a hash lookup's two.
/// </summary>
internal sealed class NeighbourCounts
{
    private int[] _ids = new int[8];
    private int[] _counts = new int[8];
    private int _used;

    /// <summary>The neighbour's count; zero when it has none.</summary>
    public int Get(NeighbourId neighbour)
    {
        var at = IndexOf(neighbour);
        return at < 0 ? 0 : _counts[at];
    }

    public bool Contains(NeighbourId neighbour) => IndexOf(neighbour) >= 0;

    public void Increment(NeighbourId neighbour)
    {
        var at = IndexOf(neighbour);
        if (at >= 0)
        {
            _counts[at]++;
            return;
        }
        if (_used == _ids.Length)
        {
            Array.Resize(ref _ids, _used * 2);
            Array.Resize(ref _counts, _used * 2);
        }
        _ids[_used] = neighbour.Value;
        _counts[_used++] = 1;
    }

    /// <summary>Counts <paramref name="by"/> off; a neighbour left with none (or fewer) is forgotten.</summary>
    public void Decrement(NeighbourId neighbour, int by)
    {
        var at = IndexOf(neighbour);
        if (at < 0) return;
        if (_counts[at] > by) _counts[at] -= by;
        else RemoveAt(at);
    }

    public void Remove(NeighbourId neighbour)
    {
        var at = IndexOf(neighbour);
        if (at >= 0) RemoveAt(at);
    }

    private int IndexOf(NeighbourId neighbour) => _ids.AsSpan(0, _used).IndexOf(neighbour.Value);

    // The order of the list means nothing: the last entry fills the gap.
    private void RemoveAt(int at)
    {
        _used--;
        _ids[at] = _ids[_used];
        _counts[at] = _counts[_used];
    }
}
