using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>What one planning pass decided: requests and cancels for neighbours, ranges for the origin, stalls seen.</summary>
internal sealed class SchedulePlan
{
    public List<(NeighbourId Neighbour, PieceId Key)> Requests { get; } = [];

    public List<(NeighbourId Neighbour, PieceId Key)> Cancels { get; } = [];

    public List<OriginRange> OriginRanges { get; } = [];

    /// <summary>Requests that stalled this pass: the hostile-peer policy counts them against the neighbour.</summary>
    public List<(NeighbourId Neighbour, PieceId Key)> Stalled { get; } = [];

    /// <summary>Duplicate requests sent in end game (also in <see cref="Requests"/>).</summary>
    public int Duplicates { get; set; }

    public void Clear()
    {
        Requests.Clear();
        Cancels.Clear();
        OriginRanges.Clear();
        Stalled.Clear();
        Duplicates = 0;
    }
}
