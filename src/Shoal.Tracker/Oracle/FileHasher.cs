using Shoal.Core.Fragmentation;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Tracker.Oracle;

/// <summary>
/// Hashes a plain file for the mapping service: one streaming GET, cut into fixed-size segments on the fly (PPIO's
/// "FS" rule, <see cref="FixedSizeFragmenter"/>), each segment's Merkle root built as its bytes pass, so memory stays at
/// one chunk and the leaf hashes whatever the file's size. The result is one on-demand manifest whose segments name the
/// file's URL with their byte offset, which is all a node needs to fetch any segment with a Range request.
/// </summary>
internal static class FileHasher
{
    public static async Task<Manifest> HashAsync(HttpClient http, Uri url, Rid rid, long segmentSize, long maxBytes, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw new InvalidDataException($"{url} is {declared} bytes, over the oracle's {maxBytes}-byte limit for files.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<SegmentEntry>();
        var hasher = new SegmentHasher();
        var buffer = new byte[64 * 1024];
        var offset = 0L;
        var inSegment = 0L;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (offset + inSegment + read > maxBytes)
            {
                throw new InvalidDataException($"{url} is over the oracle's {maxBytes}-byte limit for files.");
            }

            var data = buffer.AsMemory(0, read);
            while (!data.IsEmpty)
            {
                var take = (int)Math.Min(data.Length, segmentSize - inSegment);
                hasher.Append(data.Span[..take]);
                inSegment += take;
                data = data[take..];
                if (inSegment == segmentSize)
                {
                    entries.Add(Entry(entries.Count, url, offset, inSegment, hasher.Finish()));
                    offset += inSegment;
                    inSegment = 0;
                }
            }
        }

        if (inSegment > 0)
        {
            entries.Add(Entry(entries.Count, url, offset, inSegment, hasher.Finish()));
        }

        if (response.Content.Headers.ContentLength is { } length && length != offset + inSegment)
        {
            throw new InvalidDataException($"{url} declared {length} bytes but sent {offset + inSegment}.");
        }

        return new Manifest(rid, ResourceKind.File, entries);
    }

    private static SegmentEntry Entry(long sequence, Uri url, long offset, long length, Digest root) =>
        new(sequence, url.AbsoluteUri, offset, length, null, root);
}
