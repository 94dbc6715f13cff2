using System.Numerics;

namespace Shoal.Core.Availability;

/// <summary>
/// Which pieces of one segment a node holds: one bit per piece. The wire form is BitTorrent's (first piece in the
/// most significant bit of the first byte, spare bits zero), so it is easy to read in a packet dump.
/// </summary>
public sealed class PieceBitmap : IEquatable<PieceBitmap>
{
    private readonly ulong[] _words;

    /// <summary>An empty bitmap for a segment of <paramref name="pieceCount"/> pieces.</summary>
    public PieceBitmap(int pieceCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pieceCount);
        PieceCount = pieceCount;
        _words = new ulong[(pieceCount + 63) >> 6];
    }

    public int PieceCount { get; }

    /// <summary>Bytes of the wire form.</summary>
    public int EncodedLength => (PieceCount + 7) >> 3;

    /// <summary>A bitmap with every piece set.</summary>
    public static PieceBitmap Full(int pieceCount)
    {
        var bitmap = new PieceBitmap(pieceCount);
        bitmap.SetAll();
        return bitmap;
    }

    public bool this[int piece]
    {
        get => (_words[CheckPiece(piece) >> 6] & (1UL << (piece & 63))) != 0;
        set
        {
            if (value)
            {
                _words[CheckPiece(piece) >> 6] |= 1UL << (piece & 63);
            }
            else
            {
                _words[CheckPiece(piece) >> 6] &= ~(1UL << (piece & 63));
            }
        }
    }

    /// <summary>Pieces set.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var word in _words)
            {
                count += BitOperations.PopCount(word);
            }

            return count;
        }
    }

    public bool IsComplete => Count == PieceCount;

    public bool IsEmpty => Array.TrueForAll(_words, w => w == 0);

    public void SetAll()
    {
        Array.Fill(_words, ulong.MaxValue);
        ClearSpareBits();
    }

    public void ClearAll() => Array.Clear(_words);

    /// <summary>The first piece at or after <paramref name="from"/> that is not set, or -1.</summary>
    public int FirstMissing(int from = 0) => Find(from, set: false);

    /// <summary>The first piece at or after <paramref name="from"/> that is set, or -1.</summary>
    public int FirstSet(int from = 0) => Find(from, set: true);

    public void UnionWith(PieceBitmap other)
    {
        CheckSameShape(other);
        for (var i = 0; i < _words.Length; i++)
        {
            _words[i] |= other._words[i];
        }
    }

    public void IntersectWith(PieceBitmap other)
    {
        CheckSameShape(other);
        for (var i = 0; i < _words.Length; i++)
        {
            _words[i] &= other._words[i];
        }
    }

    /// <summary>Clears every piece that <paramref name="other"/> has.</summary>
    public void ExceptWith(PieceBitmap other)
    {
        CheckSameShape(other);
        for (var i = 0; i < _words.Length; i++)
        {
            _words[i] &= ~other._words[i];
        }
    }

    /// <summary>Pieces <paramref name="other"/> has and this bitmap lacks: what a neighbour can give us.</summary>
    public int CountMissingFrom(PieceBitmap other)
    {
        CheckSameShape(other);
        var count = 0;
        for (var i = 0; i < _words.Length; i++)
        {
            count += BitOperations.PopCount(other._words[i] & ~_words[i]);
        }

        return count;
    }

    public PieceBitmap Clone()
    {
        var copy = new PieceBitmap(PieceCount);
        _words.CopyTo(copy._words, 0);
        return copy;
    }

    /// <summary>Writes the wire form (<see cref="EncodedLength"/> bytes).</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException($"The bitmap needs {EncodedLength} bytes of room.", nameof(destination));
        }

        destination[..EncodedLength].Clear();
        for (var piece = FirstSet(); piece >= 0; piece = FirstSet(piece + 1))
        {
            destination[piece >> 3] |= (byte)(0x80 >> (piece & 7));
        }
    }

    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Reads the wire form of a bitmap of <paramref name="pieceCount"/> pieces; rejects a wrong length or set spare bits.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int pieceCount, out PieceBitmap bitmap, out string error)
    {
        bitmap = new PieceBitmap(0);
        if (pieceCount < 0)
        {
            error = $"A segment cannot have {pieceCount} pieces.";
            return false;
        }

        var expected = (pieceCount + 7) >> 3;
        if (source.Length != expected)
        {
            error = $"A bitmap of {pieceCount} pieces is {expected} bytes, not {source.Length}.";
            return false;
        }

        if (pieceCount % 8 != 0 && (source[^1] & (0xFF >> (pieceCount & 7))) != 0)
        {
            error = $"The bitmap sets bits past its {pieceCount} pieces.";
            return false;
        }

        var result = new PieceBitmap(pieceCount);
        for (var i = 0; i < source.Length; i++)
        {
            var b = source[i];
            for (var bit = 0; b != 0 && bit < 8; bit++)
            {
                if ((b & (0x80 >> bit)) != 0)
                {
                    var piece = (i << 3) + bit;
                    result._words[piece >> 6] |= 1UL << (piece & 63);
                }
            }
        }

        bitmap = result;
        error = string.Empty;
        return true;
    }

    internal ReadOnlySpan<ulong> Words => _words;

    public bool Equals(PieceBitmap? other) =>
        other is not null && other.PieceCount == PieceCount && _words.AsSpan().SequenceEqual(other._words);

    public override bool Equals(object? obj) => Equals(obj as PieceBitmap);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(PieceCount);
        foreach (var word in _words)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"{Count}/{PieceCount} pieces";

    private int Find(int from, bool set)
    {
        if (from < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, "A piece index is not negative.");
        }

        for (var w = from >> 6; w < _words.Length; w++)
        {
            var word = set ? _words[w] : ~_words[w];
            if (w == from >> 6)
            {
                word &= ulong.MaxValue << (from & 63);
            }

            if (word != 0)
            {
                var piece = (w << 6) + BitOperations.TrailingZeroCount(word);
                return piece < PieceCount ? piece : -1;
            }
        }

        return -1;
    }

    private void ClearSpareBits()
    {
        if ((PieceCount & 63) != 0)
        {
            _words[^1] &= (1UL << (PieceCount & 63)) - 1;
        }
    }

    private int CheckPiece(int piece) =>
        (uint)piece < (uint)PieceCount
            ? piece
            : throw new ArgumentOutOfRangeException(nameof(piece), piece, $"The bitmap has {PieceCount} pieces.");

    private void CheckSameShape(PieceBitmap other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.PieceCount != PieceCount)
        {
            throw new ArgumentException($"Bitmaps of {PieceCount} and {other.PieceCount} pieces cannot be combined.", nameof(other));
        }
    }
}
