namespace Shoal.Dht.Bencode;

/// <summary>Why a byte sequence is not acceptable bencode.</summary>
public enum BencodeErrorKind
{
    None,
    InputTooLarge,
    TooDeep,
    TooManyValues,
    StringTooLong,
    Truncated,
    UnexpectedByte,
    BadInteger,
    BadLength,
    KeyNotString,
    TrailingBytes,
}
