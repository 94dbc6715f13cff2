using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>
/// What the scheduler asks about its neighbours' pieces. The engine answers from HAVE messages
/// (<see cref="SwarmAvailability"/>); the flow-level simulator answers from every node's holdings directly, so that
/// 100,000 nodes do not each keep a copy of their neighbours' bitmaps.
/// </summary>
internal interface IPieceAvailability
{
    bool Has(NeighbourId neighbour, PieceId key);

    /// <summary>How many neighbours hold the piece: its rarity (fewer = rarer).</summary>
    int HolderCount(PieceId key);

    /// <summary>
    /// The piece's holders as a mask, bit i for the pass's i-th neighbour (<see cref="ScheduleInput.Neighbours"/>), when
    /// this availability lists its neighbours in that order and can answer so cheaply; false leaves the scheduler to ask
    /// <see cref="Has"/> of each neighbour. A pass asks who holds a piece of every candidate and neighbour: one mask
    /// answers it for all of them at once.
    /// </summary>
    bool TryGetHolders(PieceId key, out ulong holders)
    {
        holders = 0;
        return false;
    }
}
