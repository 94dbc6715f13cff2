using System.Numerics;

namespace Shoal.Engine.Scheduling;

/// <summary>One bit per piece of one segment (PPIO: "one segment corresponds to a bitmap").</summary>
internal sealed class PieceBitmap
{
    private readonly ulong[] _words;

    public PieceBitmap(int pieceCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pieceCount);
        PieceCount = pieceCount;
        _words = new ulong[(pieceCount + 63) / 64];
    }

    public int PieceCount { get; }

    public int Count { get; private set; }

    public bool IsComplete => Count == PieceCount;

    public bool this[int index] => (uint)index < (uint)PieceCount && (_words[index >> 6] & (1UL << index)) != 0;

    /// <summary>Sets a bit; returns false if it was already set or lies outside the segment.</summary>
    public bool Set(int index)
    {
        if ((uint)index >= (uint)PieceCount) return false;
        ref var word = ref _words[index >> 6];
        var mask = 1UL << index;
        if ((word & mask) != 0) return false;
        word |= mask;
        Count++;
        return true;
    }

    public bool Clear(int index)
    {
        if ((uint)index >= (uint)PieceCount) return false;
        ref var word = ref _words[index >> 6];
        var mask = 1UL << index;
        if ((word & mask) == 0) return false;
        word &= ~mask;
        Count--;
        return true;
    }

    public IEnumerable<int> SetBits()
    {
        for (var w = 0; w < _words.Length; w++)
        {
            var word = _words[w];
            while (word != 0)
            {
                var bit = BitOperations.TrailingZeroCount(word);
                yield return (w << 6) + bit;
                word &= word - 1;
            }
        }
    }
}
