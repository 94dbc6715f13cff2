using Shoal.Core.Identity;

namespace Shoal.Core.Manifests;

/// <summary>
/// Accepts a live manifest's updates one by one and refuses anything that does not extend the chain it holds: a wrong
/// signer or resource, a replayed or reordered update, a gap, a broken digest link, or a segment that changed.
/// </summary>
public sealed class LiveManifestFollower
{
    private readonly PublicSigningKey _publisher;

    public LiveManifestFollower(PublicSigningKey publisher, Rid rid)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        _publisher = publisher;
        Rid = rid;
    }

    public Rid Rid { get; }

    /// <summary>The last accepted update, or null before the first.</summary>
    public SignedManifest? Current { get; private set; }

    /// <summary>
    /// Checks and accepts the next update. The first update accepted anchors the chain (a node may join late);
    /// every later one must be exactly the next update number and name the previous update's digest.
    /// </summary>
    public bool TryAccept(ReadOnlySpan<byte> update, out SignedManifest accepted, out string error)
    {
        accepted = null!;
        if (!SignedManifest.TryDecode(update, _publisher, out var signed, out error))
        {
            return false;
        }

        var manifest = signed.Manifest;
        if (manifest.Rid != Rid)
        {
            error = $"The update is for resource {manifest.Rid}, not {Rid}.";
            return false;
        }

        if (!manifest.IsLiveUpdate)
        {
            error = "The manifest is not a live update (its update number is 0).";
            return false;
        }

        if (Current is { } current)
        {
            var last = current.Manifest;
            if (manifest.UpdateNumber <= last.UpdateNumber)
            {
                error = $"Update {manifest.UpdateNumber} is replayed or out of order: update {last.UpdateNumber} is already accepted.";
                return false;
            }

            if (manifest.UpdateNumber != last.UpdateNumber + 1)
            {
                error = $"Update {manifest.UpdateNumber} skips updates after {last.UpdateNumber}: fetch the missing ones first.";
                return false;
            }

            if (manifest.PreviousUpdate != current.Digest)
            {
                error = $"Update {manifest.UpdateNumber} does not chain to update {last.UpdateNumber} (previous digest mismatch).";
                return false;
            }

            if (ConsistencyError(last, manifest) is { } inconsistency)
            {
                error = inconsistency;
                return false;
            }
        }

        Current = signed;
        accepted = signed;
        error = string.Empty;
        return true;
    }

    // A live manifest only grows at its end and slides at its start; a segment, once listed, never changes.
    private static string? ConsistencyError(Manifest last, Manifest next)
    {
        if (next.Kind != last.Kind || next.PieceSize != last.PieceSize || next.HashFunction != last.HashFunction)
        {
            return $"Update {next.UpdateNumber} changes the resource's kind, piece size or hash function.";
        }

        if (last.Segments.Count > 0 && next.Segments.Count > 0)
        {
            if (next.Segments[0].Sequence < last.Segments[0].Sequence)
            {
                return $"Update {next.UpdateNumber} slides backwards: it starts at segment {next.Segments[0].Sequence}, before {last.Segments[0].Sequence}.";
            }

            if (next.Segments[^1].Sequence < last.Segments[^1].Sequence)
            {
                return $"Update {next.UpdateNumber} shrinks: it ends at segment {next.Segments[^1].Sequence}, before {last.Segments[^1].Sequence}.";
            }
        }

        foreach (var segment in next.Segments)
        {
            if (last.FindSegment(segment.Sequence) is { } earlier && earlier != segment)
            {
                return $"Update {next.UpdateNumber} changes segment {segment.Sequence}, which an earlier update listed.";
            }
        }

        if (last.Segments.Count > 0)
        {
            foreach (var earlier in last.Segments)
            {
                if (earlier.Sequence >= (next.Segments.Count > 0 ? next.Segments[0].Sequence : long.MaxValue) && next.FindSegment(earlier.Sequence) is null)
                {
                    return $"Update {next.UpdateNumber} drops segment {earlier.Sequence} from inside its window.";
                }
            }
        }

        return null;
    }
}
