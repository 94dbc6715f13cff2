namespace Shoal.Dht.Bencode;

/// <summary>The four kinds of bencoded value (BEP 3): integers, byte strings, lists and dictionaries.</summary>
public enum BValueKind
{
    Integer,
    ByteString,
    List,
    Dictionary,
}
