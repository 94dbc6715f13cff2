using Shoal.Core.Content;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;

namespace Shoal.Core.Manifests;

/// <summary>
/// Issues the signed, chained updates of a live manifest: each update adds the new segments, drops the oldest beyond
/// the window, counts one more and names the digest of the previous update.
/// </summary>
public sealed class LiveManifestPublisher
{
    private readonly SigningKeyPair _key;
    private readonly LiveManifestOptions _options;
    private readonly List<SegmentEntry> _window = [];

    public LiveManifestPublisher(SigningKeyPair key, Rid rid, ResourceKind kind, LiveManifestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _options = options ?? new LiveManifestOptions();
        if (SegmentLayout.ValidatePieceSize(_options.PieceSize) is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(_options.WindowSegments, 1, nameof(options));
        Rid = rid;
        Kind = kind;
    }

    public Rid Rid { get; }

    public ResourceKind Kind { get; }

    /// <summary>The last update issued, or null before the first.</summary>
    public SignedManifest? Last { get; private set; }

    /// <summary>Signs the next update with <paramref name="newSegments"/> appended (sequences above the last one).</summary>
    public SignedManifest Publish(IEnumerable<SegmentEntry> newSegments)
    {
        ArgumentNullException.ThrowIfNull(newSegments);
        var window = new List<SegmentEntry>(_window);
        window.AddRange(newSegments);
        if (window.Count > _options.WindowSegments)
        {
            window.RemoveRange(0, window.Count - _options.WindowSegments);
        }

        var manifest = new Manifest(
            Rid,
            Kind,
            window,
            _options.PieceSize,
            _options.HashFunction,
            (Last?.Manifest.UpdateNumber ?? 0) + 1,
            Last?.Digest ?? default);
        var signed = SignedManifest.Sign(manifest, _key);
        _window.Clear();
        _window.AddRange(window);
        Last = signed;
        return signed;
    }
}
