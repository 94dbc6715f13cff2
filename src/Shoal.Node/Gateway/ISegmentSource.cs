namespace Shoal.Node.Gateway;

/// <summary>
/// Where the gateway gets a segment's verified bytes: a stream of pieces, in order, yielded as they arrive (so a
/// player's download starts with the first piece, not the last). The first implementation fetches directly from
/// the origin through the content store; the swarm implementation takes them from peers and falls back to the origin.
/// </summary>
public interface ISegmentSource
{
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SegmentRequest request, CancellationToken cancellationToken);
}
