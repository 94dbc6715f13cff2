namespace Shoal.Media.Verification;

/// <summary>What <c>shoal verify</c> found for a published folder.</summary>
/// <param name="Renditions">One report per rendition.</param>
/// <param name="Problems">Problems not tied to one rendition (unreadable folder, no playlist).</param>
public sealed record VerifyReport(IReadOnlyList<RenditionReport> Renditions, IReadOnlyList<string> Problems)
{
    /// <summary>True when every rendition passed and nothing else went wrong.</summary>
    public bool Passed => Problems.Count == 0 && Renditions.Count > 0 && Renditions.All(r => r.Passed);
}
