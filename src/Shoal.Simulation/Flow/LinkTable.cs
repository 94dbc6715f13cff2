using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Shoal.Simulation.Flow;

/// <summary>
/// One node's links, by neighbour index, in small arrays searched front to back: a node has a few dozen neighbours at
/// most, and a scan of one short array beats hashing into a dictionary's buckets and entries, which at 10,000 nodes
/// were cache misses on every request, piece and planning pass. It enumerates in exactly the order the dictionary it
/// replaces did (entries in insertion order, a removed entry's place taken by the next insertion, the last freed
/// first), because that order is the order of a pass's neighbours, and with it a seed replays the same history. What a
/// planning pass reads of each link (RTT, service rate, choke state) is mirrored into arrays of its own, so a pass
/// never visits the link objects themselves.
/// </summary>
internal sealed class LinkTable : IEnumerable<KeyValuePair<int, NeighbourLink>>
{
    private const int Free = -1;
    private int[] _keys = new int[8];
    private NeighbourLink?[] _links = new NeighbourLink?[8];
    private int[] _nextFree = new int[8];
    private TimeSpan[] _rtt = new TimeSpan[8];
    private double[] _serviceRate = new double[8];
    private bool[] _chokesMe = new bool[8];
    private int _used;
    private int _freeList = -1;
    private int _freeCount;

    public int Count => _used - _freeCount;

    /// <summary>Entries in use or freed so far: slots [0, Used) hold every link, in the table's order.</summary>
    public int Used => _used;

    /// <summary>The neighbour at a slot, or −1 for a freed slot.</summary>
    public int KeyAt(int slot) => _keys[slot];

    /// <summary>The link at a slot (null for a freed slot).</summary>
    public NeighbourLink? LinkAt(int slot) => _links[slot];

    public TimeSpan RttAt(int slot) => _rtt[slot];

    public double ServiceRateAt(int slot) => _serviceRate[slot];

    public bool ChokesMeAt(int slot) => _chokesMe[slot];

    /// <summary>Copies a link's planning fields into its slot (the link calls this whenever they change).</summary>
    internal void Mirror(int slot, NeighbourLink link)
    {
        _rtt[slot] = link.Rtt;
        _serviceRate[slot] = link.ServiceRate;
        _chokesMe[slot] = link.ChokesMe;
    }

    public KeyCollection Keys => new(this);

    public NeighbourLink this[int key]
    {
        set
        {
            var at = IndexOf(key);
            if (at < 0)
            {
                Insert(key, value);
                return;
            }
            _links[at]!.Attach(null, 0);
            _links[at] = value;
            value.Attach(this, at);
            Mirror(at, value);
        }
    }

    public bool ContainsKey(int key) => IndexOf(key) >= 0;

    public bool TryGetValue(int key, [MaybeNullWhen(false)] out NeighbourLink link)
    {
        var at = IndexOf(key);
        link = at >= 0 ? _links[at] : null;
        return link is not null;
    }

    public bool Remove(int key) => Remove(key, out _);

    public bool Remove(int key, [MaybeNullWhen(false)] out NeighbourLink link)
    {
        var at = IndexOf(key);
        if (at < 0)
        {
            link = null;
            return false;
        }
        link = _links[at]!;
        link.Attach(null, 0);
        _keys[at] = Free;
        _links[at] = null;
        _nextFree[at] = _freeList;
        _freeList = at;
        _freeCount++;
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<int, NeighbourLink>> IEnumerable<KeyValuePair<int, NeighbourLink>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(int key)
    {
        var keys = _keys;
        for (var i = 0; i < _used; i++)
            if (keys[i] == key) return i;
        return -1;
    }

    private void Insert(int key, NeighbourLink link)
    {
        int at;
        if (_freeCount > 0)
        {
            at = _freeList;
            _freeList = _nextFree[at];
            _freeCount--;
        }
        else
        {
            if (_used == _keys.Length)
            {
                Array.Resize(ref _keys, _used * 2);
                Array.Resize(ref _links, _used * 2);
                Array.Resize(ref _nextFree, _used * 2);
                Array.Resize(ref _rtt, _used * 2);
                Array.Resize(ref _serviceRate, _used * 2);
                Array.Resize(ref _chokesMe, _used * 2);
            }
            at = _used++;
        }
        _keys[at] = key;
        _links[at] = link;
        link.Attach(this, at);
        Mirror(at, link);
    }

    public struct Enumerator(LinkTable table) : IEnumerator<KeyValuePair<int, NeighbourLink>>
    {
        private int _next;

        public KeyValuePair<int, NeighbourLink> Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            while (_next < table._used)
            {
                var at = _next++;
                if (table._links[at] is not { } link) continue;
                Current = new KeyValuePair<int, NeighbourLink>(table._keys[at], link);
                return true;
            }
            return false;
        }

        public void Reset() => _next = 0;

        public readonly void Dispose()
        {
        }
    }

    /// <summary>The neighbour indices, in the table's order.</summary>
    public readonly struct KeyCollection(LinkTable table) : IEnumerable<int>
    {
        public KeyEnumerator GetEnumerator() => new(table);

        IEnumerator<int> IEnumerable<int>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public struct KeyEnumerator(LinkTable table) : IEnumerator<int>
    {
        private Enumerator _inner = new(table);

        public readonly int Current => _inner.Current.Key;

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => _inner.MoveNext();

        public void Reset() => _inner.Reset();

        public readonly void Dispose()
        {
        }
    }
}
