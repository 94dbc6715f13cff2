using Shoal.Core.Availability;
using Shoal.Core.Content;

namespace Shoal.Engine.Scheduling;

/// <summary>
/// Which neighbour holds which piece, learnt from HAVE messages: one Core <see cref="PieceBitmap"/> per neighbour per
/// segment, with Core's per-segment <see cref="PieceAvailability"/> rarity counts kept in step. Live resources slide:
/// segments below the discard window are forgotten, and HAVE for them or for unknown segments is ignored.
/// </summary>
internal sealed class SwarmAvailability : IPieceAvailability
{
    private readonly Dictionary<NeighbourId, Dictionary<long, PieceBitmap>> _byNeighbour = [];
    private readonly Dictionary<long, PieceAvailability> _rarity = [];
    private readonly Func<long, int?> _pieceCountOf;

    /// <param name="pieceCountOf">The piece count of a segment, or null if the segment is unknown.</param>
    public SwarmAvailability(Func<long, int?> pieceCountOf) => _pieceCountOf = pieceCountOf;

    /// <summary>The lowest segment still tracked (live discard window).</summary>
    public long DiscardBelow { get; private set; } = long.MinValue;

    /// <summary>Records a HAVE for pieces [first, last] of a segment (clipped to the segment). Returns how many were new.</summary>
    public int AddHave(NeighbourId neighbour, long segment, int first, int last)
    {
        if (segment < DiscardBelow || _pieceCountOf(segment) is not int count || count == 0) return 0;
        var segments = Segments(neighbour);
        if (!segments.TryGetValue(segment, out var bitmap)) segments[segment] = bitmap = new PieceBitmap(count);
        var rarity = Rarity(segment, count);
        var added = 0;
        for (var i = Math.Max(0, first); i <= Math.Min(last, count - 1); i++)
        {
            if (bitmap[i]) continue;
            bitmap[i] = true;
            rarity.AddPiece(i);
            added++;
        }
        return added;
    }

    /// <summary>Withdraws a HAVE, e.g. after the neighbour failed to deliver a piece it announced.</summary>
    public void RemoveHave(NeighbourId neighbour, PieceId key)
    {
        if (BitmapOf(neighbour, key.SegmentSequence) is not { } bitmap || !bitmap[key.PieceIndex]) return;
        bitmap[key.PieceIndex] = false;
        _rarity[key.SegmentSequence].RemovePiece(key.PieceIndex);
    }

    public bool Has(NeighbourId neighbour, PieceId key) =>
        BitmapOf(neighbour, key.SegmentSequence) is { } bitmap && (uint)key.PieceIndex < (uint)bitmap.PieceCount && bitmap[key.PieceIndex];

    /// <summary>How many neighbours hold the piece: its rarity (fewer = rarer).</summary>
    public int HolderCount(PieceId key) =>
        _rarity.TryGetValue(key.SegmentSequence, out var rarity) && (uint)key.PieceIndex < (uint)rarity.PieceCount ? rarity.Holders(key.PieceIndex) : 0;

    /// <summary>The neighbour's bitmap of one segment, or null if it announced nothing there.</summary>
    public PieceBitmap? BitmapOf(NeighbourId neighbour, long segment) =>
        _byNeighbour.TryGetValue(neighbour, out var segments) && segments.TryGetValue(segment, out var bitmap) ? bitmap : null;

    public void RemoveNeighbour(NeighbourId neighbour)
    {
        if (!_byNeighbour.Remove(neighbour, out var segments)) return;
        foreach (var (segment, bitmap) in segments)
            if (_rarity.TryGetValue(segment, out var rarity)) rarity.Remove(bitmap);
    }

    /// <summary>Slides the live discard window: forgets every segment below <paramref name="segment"/>.</summary>
    public void DiscardSegmentsBelow(long segment)
    {
        if (segment <= DiscardBelow) return;
        DiscardBelow = segment;
        foreach (var old in _rarity.Keys.Where(s => s < segment).ToList()) _rarity.Remove(old);
        foreach (var segments in _byNeighbour.Values)
            foreach (var old in segments.Keys.Where(s => s < segment).ToList()) segments.Remove(old);
    }

    private Dictionary<long, PieceBitmap> Segments(NeighbourId neighbour)
    {
        if (!_byNeighbour.TryGetValue(neighbour, out var segments)) _byNeighbour[neighbour] = segments = [];
        return segments;
    }

    private PieceAvailability Rarity(long segment, int count)
    {
        if (!_rarity.TryGetValue(segment, out var rarity)) _rarity[segment] = rarity = new PieceAvailability(count);
        return rarity;
    }
}
