using System.Runtime.CompilerServices;
using Shoal.Node.Fetching;
using Shoal.Node.Storage;

namespace Shoal.Node.Gateway;

/// <summary>
/// The first <see cref="ISegmentSource"/>: the content store when it holds the segment, else the origin, cutting
/// the body into pieces as it arrives, keeping them in the store (disk too for VOD and files) and yielding each one
/// at once. The origin is trusted here (it is the source of truth the manifest is made from).
/// </summary>
public sealed class DirectSegmentSource(OriginClient origin, ContentStore store, NodeMetrics metrics, int pieceSize = SegmentLayout.DefaultPieceSize) : ISegmentSource
{
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SegmentRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Whatever leading pieces the store holds (all of them, or what a killed run left) are served from it.
        var next = 0;
        if (!store.TryGetLayout(request.Key, out var layout) && request.OriginRange is { } wanted)
        {
            layout = new SegmentLayout(wanted.Length, pieceSize);
        }

        while (layout != default && next < layout.PieceCount && store.TryGetPiece(request.Key, next, out var piece))
        {
            metrics.AddBytesFromStore(piece.Length);
            next++;
            yield return piece;
        }

        if (layout != default && next == layout.PieceCount)
        {
            yield break;
        }

        // What is missing (all, or the tail a concurrent eviction took) comes from the origin.
        var skip = layout == default ? 0 : layout.PieceOffset(next);
        var size = layout == default ? pieceSize : layout.PieceSize;
        ByteRange? range = request.OriginRange is { } whole
            ? new ByteRange(whole.First + skip, whole.Last)
            : skip > 0 ? new ByteRange(skip, layout.Length - 1) : null;
        using var response = await origin.GetAsync(request.OriginUrl, range, cancellationToken).ConfigureAwait(false);
        long? length = request.OriginRange?.Length ?? (skip > 0 ? layout.Length : response.ContentLength);
        if (length is { } known && (known <= 0 || known > PieceRecord.MaxSegmentLength))
        {
            length = null;
        }

        var unknownLength = new List<byte[]>();
        var buffer = new byte[size];
        var filled = 0;
        var index = next;
        while (true)
        {
            var n = await response.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            metrics.AddBytesFromOrigin(n);
            filled += n;
            if (filled < size && n > 0)
            {
                continue;
            }

            if (filled == 0)
            {
                break;
            }

            var piece = buffer.AsMemory(0, filled).ToArray();
            if (length is { } total)
            {
                var pieceLayout = new SegmentLayout(total, size);
                if (pieceLayout.IsValidPiece(index, piece.Length))
                {
                    store.Put(request.Key, pieceLayout, index, piece, persist: !request.Live);
                }
            }
            else
            {
                unknownLength.Add(piece);
            }

            index++;
            filled = 0;
            yield return piece;
            if (n == 0)
            {
                break;
            }
        }

        if (length is null && unknownLength.Count > 0 && next == 0)
        {
            // A chunked response: the layout is known only now.
            var total = unknownLength.Sum(p => (long)p.Length);
            if (total <= PieceRecord.MaxSegmentLength)
            {
                var finalLayout = new SegmentLayout(total, size);
                for (var i = 0; i < unknownLength.Count; i++)
                {
                    store.Put(request.Key, finalLayout, i, unknownLength[i], persist: !request.Live);
                }
            }
        }
    }
}
