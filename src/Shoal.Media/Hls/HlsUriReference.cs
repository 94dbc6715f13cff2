namespace Shoal.Media.Hls;

/// <summary>A URI found in a playlist, handed to a rewriter: what it is, how it was written, and where it points.</summary>
/// <param name="Kind">What the URI points at.</param>
/// <param name="Original">The URI as written in the playlist.</param>
/// <param name="Absolute">The URI resolved against the playlist's URL (RFC 8216 §4.1, RFC 3986 §5), or null when it cannot be resolved.</param>
public readonly record struct HlsUriReference(HlsUriKind Kind, string Original, Uri? Absolute);
