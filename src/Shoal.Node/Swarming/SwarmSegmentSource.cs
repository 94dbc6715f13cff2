using System.Runtime.CompilerServices;
using Shoal.Node.Gateway;

namespace Shoal.Node.Swarming;

/// <summary>
/// The swarm implementation of <see cref="ISegmentSource"/>: a segment of a resource the node has a swarm for comes
/// from peers and the origin as the scheduler decides; whatever the swarm cannot finish in time, or a resource
/// without a swarm, comes from <paramref name="direct"/>, so a player never waits on a broken swarm.
/// </summary>
public sealed class SwarmSegmentSource(SwarmHost host, ISegmentSource direct) : ISegmentSource
{
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SegmentRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = request.OriginRange is null ? host.Find(request.Key.Resource) : null;
        var sent = 0L;
        if (session is not null)
        {
            var complete = new StrongBox<bool>();
            await foreach (var piece in session.ReadSegmentAsync(request.Key.Sequence, complete, cancellationToken))
            {
                sent += piece.Length;
                yield return piece;
            }

            if (complete.Value)
            {
                yield break;
            }
        }

        // Direct: the whole segment, skipping what the swarm already gave the player.
        await foreach (var piece in direct.ReadAsync(request, cancellationToken))
        {
            if (sent >= piece.Length)
            {
                sent -= piece.Length;
                continue;
            }

            yield return piece[(int)sent..];
            sent = 0;
        }
    }
}
