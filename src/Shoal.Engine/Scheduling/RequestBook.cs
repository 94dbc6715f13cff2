using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>The requests in flight: by piece (for end game and completion) and by neighbour (for the per-neighbour bound).</summary>
internal sealed class RequestBook
{
    private readonly Dictionary<PieceId, List<InFlightRequest>> _byPiece = [];
    private readonly NeighbourCounts _countByNeighbour = new();
    private readonly Dictionary<long, (OriginRange Range, Instant Sent, Instant ExpectedBy)> _originRanges = [];
    // No origin request is due before this: the earliest ExpectedBy of the ranges in flight (a piece that arrived from a
    // neighbour drops its origin request while its range stays, so this may be earlier than it need be, never later).
    // "Is the origin late with this piece?" is asked of every requested piece of a pass, and is nearly always no.
    private Instant _originDueFloor = Instant.MaxValue;
    // Emptied per-piece lists, for the next piece asked for: a node asks for a few pieces a second for hours, and a
    // fresh list for each was most of what a planning pass allocated. A list returns here only when its key leaves
    // the book, so a list handed out by For is valid until the book next changes.
    private readonly Stack<List<InFlightRequest>> _spare = new();
    private int _toNeighbours;
    // Which pieces are in the book, a bit per piece for a few recent segments: a pass asks IsRequested of every missing
    // piece of its window several times, mostly of pieces nobody was asked for, and a bit test is much cheaper than a
    // hash lookup. A slot belongs to one segment while any of its bits is set; a piece that finds its slot taken by
    // another segment, or lies beyond the 64th of its segment, is "unmapped", and while any is, the dictionary answers.
    private const int RingSlots = 16;
    private readonly long[] _ringSegment = new long[RingSlots];
    private readonly ulong[] _ringBits = new ulong[RingSlots];
    private int _unmapped;

    public int OriginRangesInFlight => _originRanges.Count;

    /// <summary>
    /// No request to a neighbour is expected later than this: the latest ExpectedBy of any added (it is not lowered as
    /// requests go, so it may be later than need be, never earlier; requests are added with ever later instants, so it
    /// stays close).
    /// </summary>
    public Instant LatestExpectedFromNeighbours { get; private set; } = Instant.MinValue;

    public IEnumerable<InFlightRequest> All => _byPiece.Values.SelectMany(r => r);

    /// <summary>Whether any request is out to a neighbour (not only to the origin).</summary>
    public bool AnyToNeighbours => _toNeighbours > 0;

    /// <summary>
    /// The requests to neighbours whose <paramref name="dueAfter"/> is before <paramref name="now"/>, copied out (so the
    /// caller may change the book), or empty; <paramref name="nextDue"/> is the earliest such instant among the rest.
    /// </summary>
    public IReadOnlyList<InFlightRequest> NeighbourRequestsPast(Func<InFlightRequest, Instant> dueAfter, Instant now, out Instant nextDue)
    {
        List<InFlightRequest>? found = null;
        nextDue = Instant.MaxValue;
        foreach (var list in _byPiece.Values)
            foreach (var request in list)
            {
                if (request.Neighbour is null) continue;
                var due = dueAfter(request);
                if (now > due) (found ??= []).Add(request);
                else if (due < nextDue) nextDue = due;
            }
        return found ?? (IReadOnlyList<InFlightRequest>)[];
    }

    public void Add(InFlightRequest request)
    {
        if (!_byPiece.TryGetValue(request.Key, out var list))
        {
            _byPiece[request.Key] = list = _spare.TryPop(out var spare) ? spare : [];
            Mark(request.Key);
        }
        list.Add(request);
        if (request.Neighbour is NeighbourId n)
        {
            _countByNeighbour.Increment(n);
            _toNeighbours++;
            if (request.ExpectedBy > LatestExpectedFromNeighbours) LatestExpectedFromNeighbours = request.ExpectedBy;
        }
    }

    public void AddOrigin(OriginRange range, Instant now, Instant expectedBy)
    {
        _originRanges[range.Id] = (range, now, expectedBy);
        if (expectedBy < _originDueFloor) _originDueFloor = expectedBy;
        foreach (var key in range.Pieces) Add(new InFlightRequest(key, null, now, expectedBy));
    }

    public int InFlightTo(NeighbourId neighbour) => _countByNeighbour.Get(neighbour);

    public IReadOnlyList<InFlightRequest> For(PieceId key) => Find(key) ?? (IReadOnlyList<InFlightRequest>)[];

    public bool IsRequested(PieceId key) => _unmapped > 0 ? _byPiece.ContainsKey(key) : IsMarked(key);

    /// <summary>Whether the piece's bit is set; with no unmapped piece in the book, exactly whether it is in the book.</summary>
    private bool IsMarked(PieceId key)
    {
        var slot = (int)(key.SegmentSequence & (RingSlots - 1));
        return _ringSegment[slot] == key.SegmentSequence && (uint)key.PieceIndex < 64 && (_ringBits[slot] & (1UL << key.PieceIndex)) != 0;
    }

    /// <summary>The piece's requests, or null; the bits answer "none" without a hash lookup for most pieces.</summary>
    private List<InFlightRequest>? Find(PieceId key) =>
        (_unmapped > 0 || IsMarked(key)) && _byPiece.TryGetValue(key, out var list) ? list : null;

    public bool IsFromOrigin(PieceId key) => Find(key) is { } list && AnyFromOrigin(list);

    /// <summary>The origin was asked for the piece and is later than expected.</summary>
    public bool IsOverdueAtOrigin(PieceId key, Instant now)
    {
        if (now <= _originDueFloor || Find(key) is not { } list) return false;
        foreach (var request in list)
            if (request.Neighbour is null && request.ExpectedBy < now) return true;
        return false;
    }

    /// <summary>When an origin range still in flight was sent, or null.</summary>
    public Instant? OriginSentAt(long id) => _originRanges.TryGetValue(id, out var entry) ? entry.Sent : null;

    /// <summary>Only the origin was asked for the piece, and it is later than expected: a peer may race it.</summary>
    public bool IsOnlyOverdueAtOrigin(PieceId key, Instant now)
    {
        if (now <= _originDueFloor || Find(key) is not { } list) return false;
        foreach (var request in list)
            if (request.Neighbour is not null || request.ExpectedBy >= now) return false;
        return true;
    }

    // Loops, not lambdas, in the lookups a pass makes for every candidate and neighbour: a lambda that captures an
    // argument allocates on every call, hit or miss, and the flow-level simulator makes hundreds of millions of them.
    public bool IsRequestedFrom(PieceId key, NeighbourId neighbour) => Find(key) is { } list && AnyTo(list, neighbour);

    /// <summary>Whether one of a piece's requests (as <see cref="For"/> gives them) is out to <paramref name="neighbour"/>.</summary>
    public static bool AnyTo(IReadOnlyList<InFlightRequest> requests, NeighbourId neighbour)
    {
        for (var i = 0; i < requests.Count; i++)
            if (requests[i].Neighbour == neighbour) return true;
        return false;
    }

    /// <summary>Whether one of a piece's requests (as <see cref="For"/> gives them) is out to the origin.</summary>
    public static bool AnyFromOrigin(IReadOnlyList<InFlightRequest> requests)
    {
        for (var i = 0; i < requests.Count; i++)
            if (requests[i].Neighbour is null) return true;
        return false;
    }

    /// <summary>Forgets one neighbour's request for a piece (answered, cancelled, stalled or rejected).</summary>
    public bool Remove(PieceId key, NeighbourId neighbour)
    {
        if (!_byPiece.TryGetValue(key, out var list)) return false;
        var removed = 0;
        for (var i = list.Count - 1; i >= 0; i--)
            if (list[i].Neighbour == neighbour)
            {
                list.RemoveAt(i);
                removed++;
            }
        if (removed == 0) return false;
        if (list.Count == 0) Forget(key, list);
        Decrement(neighbour, removed);
        return true;
    }

    /// <summary>Forgets every request for a piece once it is held; returns the neighbours still asked, to cancel.</summary>
    public List<NeighbourId> Complete(PieceId key)
    {
        var others = new List<NeighbourId>();
        Complete(key, others);
        return others;
    }

    /// <summary>As <see cref="Complete(PieceId)"/>, into <paramref name="others"/> (cleared first).</summary>
    public void Complete(PieceId key, List<NeighbourId> others)
    {
        others.Clear();
        if (!_byPiece.Remove(key, out var list)) return;
        Unmark(key);
        foreach (var request in list)
        {
            if (request.Neighbour is not NeighbourId n) continue;
            Decrement(n, 1);
            others.Add(n);
        }
        Recycle(list);
    }

    /// <summary>An origin range finished (or failed): its pieces are no longer in flight from the origin.</summary>
    public OriginRange? CompleteOrigin(long id)
    {
        if (!_originRanges.Remove(id, out var entry)) return null;
        if (entry.ExpectedBy == _originDueFloor) ResetOriginDueFloor();
        var range = entry.Range;
        foreach (var key in range.Pieces)
        {
            if (!_byPiece.TryGetValue(key, out var list)) continue;
            for (var i = list.Count - 1; i >= 0; i--)
                if (list[i].Neighbour is null) list.RemoveAt(i);
            if (list.Count == 0) Forget(key, list);
        }
        return range;
    }

    /// <summary>Forgets every request to a neighbour that left, choked us or was dropped.</summary>
    public void RemoveNeighbour(NeighbourId neighbour)
    {
        // A neighbour without a count has no request out (the count goes when its last request does): no scan. Every
        // choke calls this, and in a large simulation most chokees had asked nothing of us.
        if (!_countByNeighbour.Contains(neighbour)) return;
        // Removing while enumerating is allowed for Dictionary (.NET Core 3.0 on): no copy of the keys.
        foreach (var (key, list) in _byPiece)
            if (AnyTo(list, neighbour)) Remove(key, neighbour);
        _countByNeighbour.Remove(neighbour);
    }

    /// <summary>Drops every request for pieces of segments below <paramref name="segment"/> (live discard window).</summary>
    public void DiscardSegmentsBelow(long segment)
    {
        foreach (var key in _byPiece.Keys.Where(k => k.SegmentSequence < segment).ToList())
        {
            // Neighbours' requests first, each counted off its neighbour; then whatever the origin had.
            foreach (var request in _byPiece[key].ToList())
                if (request.Neighbour is NeighbourId n) Remove(key, n);
            if (_byPiece.TryGetValue(key, out var left)) Forget(key, left);
        }
        foreach (var id in _originRanges.Where(r => r.Value.Range.Segment < segment).Select(r => r.Key).ToList()) _originRanges.Remove(id);
        ResetOriginDueFloor();
    }

    /// <summary>The floor again from the ranges in flight (a handful: the scheduler bounds them).</summary>
    private void ResetOriginDueFloor()
    {
        _originDueFloor = Instant.MaxValue;
        foreach (var (_, (_, _, expectedBy)) in _originRanges)
            if (expectedBy < _originDueFloor) _originDueFloor = expectedBy;
    }

    /// <summary>A piece with no request left leaves the book; its list goes back to the spares.</summary>
    private void Forget(PieceId key, List<InFlightRequest> list)
    {
        _byPiece.Remove(key);
        Unmark(key);
        Recycle(list);
    }

    /// <summary>A piece entered the book: its bit is set, or it counts as unmapped.</summary>
    private void Mark(PieceId key)
    {
        var slot = (int)(key.SegmentSequence & (RingSlots - 1));
        if (_ringBits[slot] == 0) _ringSegment[slot] = key.SegmentSequence;
        if (_ringSegment[slot] == key.SegmentSequence && (uint)key.PieceIndex < 64) _ringBits[slot] |= 1UL << key.PieceIndex;
        else _unmapped++;
    }

    /// <summary>
    /// A piece left the book. Its bit is set only if Mark set it: a bit is set for no other key, and it stays until
    /// the key leaves, so a set bit means the piece was mapped, and a clear one that it was not.
    /// </summary>
    private void Unmark(PieceId key)
    {
        var slot = (int)(key.SegmentSequence & (RingSlots - 1));
        var bit = (uint)key.PieceIndex < 64 ? 1UL << key.PieceIndex : 0;
        if (_ringSegment[slot] == key.SegmentSequence && (_ringBits[slot] & bit) != 0) _ringBits[slot] &= ~bit;
        else _unmapped--;
    }

    private void Recycle(List<InFlightRequest> list)
    {
        list.Clear();
        _spare.Push(list);
    }

    private void Decrement(NeighbourId neighbour, int by)
    {
        _toNeighbours -= by;
        _countByNeighbour.Decrement(neighbour, by);
    }
}
