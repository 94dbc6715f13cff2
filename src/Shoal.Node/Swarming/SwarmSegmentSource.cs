using System.Buffers;
using System.Runtime.CompilerServices;
using Shoal.Node.Gateway;

namespace Shoal.Node.Swarming;

/// <summary>
/// The swarm implementation of <see cref="ISegmentSource"/>: a segment of a resource the node has a swarm for (a
/// playlist's media segment, or a slice of a plain file) comes from peers and the origin as the scheduler decides;
/// whatever the swarm cannot finish in time, or a resource without a swarm, comes from <paramref name="direct"/>, so a
/// player never waits on a broken swarm. A segment the manifest lists but that had to come directly is handed to the
/// swarm afterwards (verified there like origin bytes), so the node can still serve it to its peers.
/// </summary>
public sealed class SwarmSegmentSource(SwarmHost host, ISegmentSource direct) : ISegmentSource
{
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SegmentRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = host.Find(request.Key.Resource);
        var sent = 0L;
        if (session is not null)
        {
            var complete = new StrongBox<bool>();
            await foreach (var piece in session.ReadSegmentAsync(request.Key.Sequence, request.OriginRange, complete, cancellationToken))
            {
                sent += piece.Length;
                yield return piece;
            }

            if (complete.Value)
            {
                yield break;
            }
        }

        // Direct: the whole segment, skipping what the swarm already gave the player; kept whole for the swarm when it
        // knows the segment (and so can verify it) but does not hold it.
        var entry = session?.Manifest?.FindSegment(request.Key.Sequence);
        var keep = entry is not null && entry.Length <= Array.MaxLength && !session!.Holds(request.Key.Sequence)
            ? new ArrayBufferWriter<byte>((int)entry.Length)
            : null;
        var skip = sent;
        await foreach (var piece in direct.ReadAsync(request, cancellationToken))
        {
            keep?.Write(piece.Span);
            if (skip >= piece.Length)
            {
                skip -= piece.Length;
                continue;
            }

            yield return piece[(int)skip..];
            skip = 0;
        }

        if (keep is not null && keep.WrittenCount == entry!.Length)
        {
            session!.Preload(request.Key.Sequence, keep.WrittenMemory);
        }
    }
}
