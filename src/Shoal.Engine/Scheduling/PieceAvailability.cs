namespace Shoal.Engine.Scheduling;

/// <summary>
/// Which neighbour holds which piece, learnt from HAVE messages: one bitmap per neighbour per segment, with a rarity
/// count per piece kept in step. Live resources slide: segments below the discard window are forgotten.
/// </summary>
internal sealed class PieceAvailability
{
    private readonly Dictionary<NeighbourId, Dictionary<long, PieceBitmap>> _byNeighbour = [];
    private readonly Dictionary<long, int[]> _holders = [];
    private readonly Func<long, int?> _pieceCountOf;

    /// <param name="pieceCountOf">The piece count of a segment, or null if the segment is unknown (HAVE for it is ignored).</param>
    public PieceAvailability(Func<long, int?> pieceCountOf) => _pieceCountOf = pieceCountOf;

    /// <summary>The lowest segment still tracked (live discard window); HAVE below it is ignored.</summary>
    public long DiscardBelow { get; private set; } = long.MinValue;

    /// <summary>Records a HAVE for pieces [first, last] of a segment. Returns how many were new.</summary>
    public int AddHave(NeighbourId neighbour, long segment, int first, int last)
    {
        if (segment < DiscardBelow || _pieceCountOf(segment) is not int count || count == 0) return 0;
        var segments = Segments(neighbour);
        if (!segments.TryGetValue(segment, out var bitmap)) segments[segment] = bitmap = new PieceBitmap(count);
        var holders = Holders(segment, count);
        var added = 0;
        for (var i = Math.Max(0, first); i <= Math.Min(last, count - 1); i++)
        {
            if (!bitmap.Set(i)) continue;
            holders[i]++;
            added++;
        }
        return added;
    }

    /// <summary>Withdraws a HAVE, e.g. after the neighbour proved it lied about a piece.</summary>
    public void RemoveHave(NeighbourId neighbour, PieceKey key)
    {
        if (_byNeighbour.TryGetValue(neighbour, out var segments) && segments.TryGetValue(key.Segment, out var bitmap) &&
            bitmap.Clear(key.Index) && _holders.TryGetValue(key.Segment, out var holders))
            holders[key.Index]--;
    }

    public bool Has(NeighbourId neighbour, PieceKey key) =>
        _byNeighbour.TryGetValue(neighbour, out var segments) && segments.TryGetValue(key.Segment, out var bitmap) && bitmap[key.Index];

    /// <summary>How many neighbours hold the piece: its rarity (fewer = rarer).</summary>
    public int HolderCount(PieceKey key) =>
        _holders.TryGetValue(key.Segment, out var holders) && (uint)key.Index < (uint)holders.Length ? holders[key.Index] : 0;

    public IEnumerable<NeighbourId> Neighbours => _byNeighbour.Keys;

    /// <summary>The neighbour's bitmap of one segment, or null if it announced nothing there.</summary>
    public PieceBitmap? BitmapOf(NeighbourId neighbour, long segment) =>
        _byNeighbour.TryGetValue(neighbour, out var segments) && segments.TryGetValue(segment, out var bitmap) ? bitmap : null;

    public void RemoveNeighbour(NeighbourId neighbour)
    {
        if (!_byNeighbour.Remove(neighbour, out var segments)) return;
        foreach (var (segment, bitmap) in segments)
        {
            if (!_holders.TryGetValue(segment, out var holders)) continue;
            foreach (var i in bitmap.SetBits()) holders[i]--;
        }
    }

    /// <summary>Slides the live discard window: forgets every segment below <paramref name="segment"/>.</summary>
    public void DiscardSegmentsBelow(long segment)
    {
        if (segment <= DiscardBelow) return;
        DiscardBelow = segment;
        foreach (var old in _holders.Keys.Where(s => s < segment).ToList()) _holders.Remove(old);
        foreach (var segments in _byNeighbour.Values)
            foreach (var old in segments.Keys.Where(s => s < segment).ToList()) segments.Remove(old);
    }

    private Dictionary<long, PieceBitmap> Segments(NeighbourId neighbour)
    {
        if (!_byNeighbour.TryGetValue(neighbour, out var segments)) _byNeighbour[neighbour] = segments = [];
        return segments;
    }

    private int[] Holders(long segment, int count)
    {
        if (!_holders.TryGetValue(segment, out var holders)) _holders[segment] = holders = new int[count];
        return holders;
    }
}
