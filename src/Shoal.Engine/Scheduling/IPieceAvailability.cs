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
}
