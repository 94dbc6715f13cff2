namespace Shoal.Core.Availability;

/// <summary>
/// How many neighbours hold each piece of one segment, kept up to date from their bitmaps and HAVEs, so the scheduler
/// can pick the rarest piece it still needs (rarest first breaks ties between equal deadlines).
/// </summary>
public sealed class PieceAvailability
{
    private readonly int[] _holders;

    public PieceAvailability(int pieceCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pieceCount);
        _holders = new int[pieceCount];
    }

    public int PieceCount => _holders.Length;

    /// <summary>Neighbours known to hold <paramref name="piece"/>.</summary>
    public int Holders(int piece) => _holders[piece];

    /// <summary>Counts a neighbour's whole bitmap (when it joins or sends its bitmap).</summary>
    public void Add(PieceBitmap bitmap) => Apply(bitmap, +1);

    /// <summary>Forgets a neighbour's bitmap (when it leaves).</summary>
    public void Remove(PieceBitmap bitmap) => Apply(bitmap, -1);

    /// <summary>Counts one HAVE for one piece.</summary>
    public void AddPiece(int piece) => _holders[piece]++;

    public void RemovePiece(int piece) => _holders[piece] = Math.Max(0, _holders[piece] - 1);

    /// <summary>
    /// The piece missing from <paramref name="mine"/> that the fewest neighbours hold, at least one; the lowest index
    /// among equals, so every node that sees the same counts picks the same piece. -1 when no neighbour can help.
    /// </summary>
    public int RarestMissing(PieceBitmap mine, PieceBitmap? candidates = null)
    {
        ArgumentNullException.ThrowIfNull(mine);
        CheckShape(mine);
        if (candidates is not null)
        {
            CheckShape(candidates);
        }

        var best = -1;
        var bestHolders = int.MaxValue;
        for (var piece = mine.FirstMissing(); piece >= 0; piece = mine.FirstMissing(piece + 1))
        {
            var holders = _holders[piece];
            if (holders > 0 && holders < bestHolders && (candidates is null || candidates[piece]))
            {
                best = piece;
                bestHolders = holders;
                if (holders == 1)
                {
                    break;
                }
            }
        }

        return best;
    }

    private void Apply(PieceBitmap bitmap, int delta)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        CheckShape(bitmap);
        for (var piece = bitmap.FirstSet(); piece >= 0; piece = bitmap.FirstSet(piece + 1))
        {
            _holders[piece] = Math.Max(0, _holders[piece] + delta);
        }
    }

    private void CheckShape(PieceBitmap bitmap)
    {
        if (bitmap.PieceCount != _holders.Length)
        {
            throw new ArgumentException($"The bitmap has {bitmap.PieceCount} pieces; this segment has {_holders.Length}.", nameof(bitmap));
        }
    }
}
