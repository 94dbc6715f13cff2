using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>
/// A run of adjacent pieces of one segment to fetch from the origin with one HTTP range request.
/// </summary>
/// <param name="Id">The scheduler's handle, given back when the range completes or fails.</param>
/// <param name="Segment">The segment's sequence number.</param>
/// <param name="FirstPiece">The first piece of the run.</param>
/// <param name="PieceCount">How many adjacent pieces the run covers.</param>
/// <param name="Offset">The byte offset of the run within the segment.</param>
/// <param name="Length">The run's length in bytes.</param>
/// <param name="Urgent">True when a deadline forced it; false when the node seeds a new piece into the swarm.</param>
public sealed record OriginRange(long Id, long Segment, int FirstPiece, int PieceCount, long Offset, long Length, bool Urgent)
{
    /// <summary>The run's pieces in order (a value: a foreach over it allocates nothing).</summary>
    public PieceRun Pieces => new(Segment, FirstPiece, PieceCount);
}
