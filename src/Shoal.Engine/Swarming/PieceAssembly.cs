namespace Shoal.Engine.Swarming;

/// <summary>The chunks of one piece arriving from one neighbour, gathered until the piece is whole and can be checked.</summary>
internal sealed class PieceAssembly(int length, int chunkSize)
{
    private readonly bool[] _have = new bool[(length + chunkSize - 1) / chunkSize];
    private int _received;

    public byte[] Buffer { get; } = new byte[length];

    public bool IsComplete => _received == _have.Length;

    /// <summary>Stores chunk <paramref name="chunkInPiece"/>; false when it is a duplicate or does not fit.</summary>
    public bool Add(int chunkInPiece, ReadOnlySpan<byte> payload)
    {
        if ((uint)chunkInPiece >= (uint)_have.Length || _have[chunkInPiece]) return false;
        var offset = chunkInPiece * chunkSize;
        var expected = Math.Min(chunkSize, Buffer.Length - offset);
        if (payload.Length != expected) return false;
        payload.CopyTo(Buffer.AsSpan(offset));
        _have[chunkInPiece] = true;
        _received++;
        return true;
    }
}
