using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>
/// Picks the neighbour that should serve a piece: among those that hold it, do not choke us and have room for one
/// more request, the one expected to deliver it soonest given its measured RTT, its rate and the queue we already
/// put on it.
/// </summary>
internal sealed class NeighbourChooser(SchedulerSettings settings)
{
    /// <summary>How long one more piece of <paramref name="length"/> bytes takes from this neighbour, behind its queue.</summary>
    public TimeSpan ExpectedTime(NeighbourView neighbour, int queued, int length)
    {
        var rate = neighbour.Rate > 0 ? neighbour.Rate : settings.UnmeasuredNeighbourRate;
        var rtt = neighbour.Rtt ?? settings.UnmeasuredRtt;
        return rtt + TimeSpan.FromSeconds((queued + 1.0) * length / rate);
    }

    public int Capacity(NeighbourView neighbour) =>
        neighbour.Throttled ? settings.ThrottledRequestsInFlight : settings.MaxRequestsInFlightPerNeighbour;

    /// <summary>The best neighbour for the piece and its expected time, or null when none can take it.</summary>
    /// <param name="stalled">Requests that stalled this pass: a piece never goes straight back to the neighbour it stalled on.</param>
    public (NeighbourView Neighbour, TimeSpan Expected)? Choose(
        PieceId key, int length, IReadOnlyList<NeighbourView> neighbours, IPieceAvailability availability, RequestBook book,
        HashSet<(NeighbourId, PieceId)>? stalled = null)
    {
        (NeighbourView, TimeSpan)? best = null;
        // The piece's requests are looked up once, not once per neighbour: a pass asks this for every piece it places.
        var asked = book.For(key);
        // Indexed: a foreach over the interface boxes the list's enumerator, on every call of every pass.
        for (var i = 0; i < neighbours.Count; i++)
        {
            var neighbour = neighbours[i];
            if (neighbour.Choking || !availability.Has(neighbour.Id, key) || RequestBook.AnyTo(asked, neighbour.Id) ||
                stalled?.Contains((neighbour.Id, key)) == true) continue;
            var queued = book.InFlightTo(neighbour.Id);
            if (queued >= Capacity(neighbour)) continue;
            var expected = ExpectedTime(neighbour, queued, length);
            if (best is null || expected < best.Value.Item2) best = (neighbour, expected);
        }
        return best;
    }
}
