namespace Shoal.Protocol;

/// <summary>
/// A chunk specification (RFC 7574 §4): the inclusive range of chunks a message is about. Under byte-range
/// addressing (RFC 7574 §4.1.2) the two values are byte offsets instead; bins (§4.2) decode to the aligned
/// range they name.
/// </summary>
/// <param name="Start">The first chunk (or byte) of the range.</param>
/// <param name="End">The last chunk (or byte) of the range, inclusive as in RFC 7574 §4.1.</param>
public readonly record struct ChunkSpec(ulong Start, ulong End)
{
    /// <summary>The specification of exactly one chunk.</summary>
    public static ChunkSpec Single(ulong chunk) => new(chunk, chunk);

    /// <summary>Whether <paramref name="chunk"/> lies in the range.</summary>
    public bool Contains(ulong chunk) => chunk >= Start && chunk <= End;

    public override string ToString() => Start == End ? $"[{Start}]" : $"[{Start}..{End}]";
}
