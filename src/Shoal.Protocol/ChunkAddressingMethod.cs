namespace Shoal.Protocol;

/// <summary>How a chunk specification is laid out on the wire (RFC 7574 §4 and §7.8, Table 6).</summary>
public enum ChunkAddressingMethod : byte
{
    /// <summary>One 32-bit bin number (RFC 7574 §4.2).</summary>
    Bins32 = 0,

    /// <summary>Two 64-bit byte offsets, end inclusive (RFC 7574 §4.1.2).</summary>
    ByteRanges64 = 1,

    /// <summary>Two 32-bit chunk indices, end inclusive (RFC 7574 §4.1.1): the RFC's default and Shoal's.</summary>
    ChunkRanges32 = 2,

    /// <summary>One 64-bit bin number (RFC 7574 §4.2).</summary>
    Bins64 = 3,

    /// <summary>Two 64-bit chunk indices, end inclusive (RFC 7574 §4.1.1).</summary>
    ChunkRanges64 = 4,
}
