namespace Shoal.Media.Dash;

/// <summary>A URL handed to an MPD rewriter: what it is and its absolute form (templates keep their $...$ identifiers unescaped).</summary>
/// <param name="Kind">What the URL points at.</param>
/// <param name="Absolute">The absolute URL or URL template.</param>
public readonly record struct MpdUriReference(MpdUriKind Kind, string Absolute);
