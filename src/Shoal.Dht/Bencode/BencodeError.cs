namespace Shoal.Dht.Bencode;

/// <summary>A decoding failure: what went wrong and at which byte offset of the input.</summary>
public readonly record struct BencodeError(BencodeErrorKind Kind, int Offset)
{
    public override string ToString() => $"{Kind} at byte {Offset}";
}
