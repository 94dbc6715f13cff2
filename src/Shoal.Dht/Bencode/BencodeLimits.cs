namespace Shoal.Dht.Bencode;

/// <summary>
/// Bounds that keep the decoder's work and memory proportional to what a KRPC datagram can legitimately hold,
/// whatever a hostile sender writes in its length fields.
/// </summary>
public sealed record BencodeLimits
{
    /// <summary>Largest input accepted at all; a UDP datagram on an Ethernet path is at most 1500 bytes.</summary>
    public const int DefaultMaxInputBytes = 1500;

    /// <summary>KRPC messages nest three levels (message, arguments, list of values); eight leaves room for extensions.</summary>
    public const int DefaultMaxDepth = 8;

    /// <summary>Values in one message, counting every integer, string, list and dictionary.</summary>
    public const int DefaultMaxValues = 256;

    /// <summary>A single byte string (e.g. compact node info of 8 nodes = 208 bytes).</summary>
    public const int DefaultMaxStringBytes = 1024;

    public static BencodeLimits Default { get; } = new();

    public int MaxInputBytes { get; init; } = DefaultMaxInputBytes;

    public int MaxDepth { get; init; } = DefaultMaxDepth;

    public int MaxValues { get; init; } = DefaultMaxValues;

    public int MaxStringBytes { get; init; } = DefaultMaxStringBytes;
}
