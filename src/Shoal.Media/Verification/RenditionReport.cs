namespace Shoal.Media.Verification;

/// <summary>What <c>shoal verify</c> found for one rendition.</summary>
/// <param name="Name">The rendition's name.</param>
/// <param name="SignatureValid">True when its manifest is signed by the trusted key.</param>
/// <param name="SegmentsHashed">Segments whose bytes were hashed and compared with the manifest.</param>
/// <param name="HashMismatches">Sequence numbers whose bytes do not match the manifest.</param>
/// <param name="SpotChecks">The spot checks of its sampled segments.</param>
/// <param name="Problems">Every reason it failed, one line each; empty when it passed.</param>
public sealed record RenditionReport(string Name, bool SignatureValid, int SegmentsHashed, IReadOnlyList<long> HashMismatches, IReadOnlyList<SpotCheck> SpotChecks, IReadOnlyList<string> Problems)
{
    /// <summary>True when the signature, every hash and every spot check passed.</summary>
    public bool Passed => Problems.Count == 0;
}
