using System.Numerics;
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
    /// <param name="serving">
    /// The neighbours that do not choke us, bit i for <paramref name="neighbours"/>[i] (see <see cref="ServingMask"/>), or
    /// null: with it, and the availability's holder masks, only the neighbours that hold the piece are looked at.
    /// </param>
    public (NeighbourView Neighbour, TimeSpan Expected)? Choose(
        PieceId key, int length, IReadOnlyList<NeighbourView> neighbours, IPieceAvailability availability, RequestBook book,
        HashSet<(NeighbourId, PieceId)>? stalled = null, ulong? serving = null)
    {
        (NeighbourView, TimeSpan)? best = null;
        // The piece's requests are looked up once, not once per neighbour: a pass asks this for every piece it places.
        var asked = book.For(key);
        if (serving is { } mask && availability.TryGetHolders(key, out var holders))
        {
            // The same neighbours in the same order as the loop below, without asking the others.
            for (var bits = holders & mask; bits != 0; bits &= bits - 1)
                Consider(neighbours[BitOperations.TrailingZeroCount(bits)], key, length, asked, book, stalled, ref best);
            return best;
        }
        // Indexed: a foreach over the interface boxes the list's enumerator, on every call of every pass.
        for (var i = 0; i < neighbours.Count; i++)
        {
            var neighbour = neighbours[i];
            if (neighbour.Choking || !availability.Has(neighbour.Id, key)) continue;
            Consider(neighbour, key, length, asked, book, stalled, ref best);
        }
        return best;
    }

    /// <summary>The neighbours that do not choke us as a mask, bit i for <paramref name="neighbours"/>[i]; null beyond 64 of them.</summary>
    public static ulong? ServingMask(IReadOnlyList<NeighbourView> neighbours)
    {
        if (neighbours.Count > 64) return null;
        var mask = 0UL;
        for (var i = 0; i < neighbours.Count; i++)
            if (!neighbours[i].Choking) mask |= 1UL << i;
        return mask;
    }

    /// <summary>A holder that serves us: kept as the best if it has room and is expected soonest (the first of equals wins).</summary>
    private void Consider(
        NeighbourView neighbour, PieceId key, int length, IReadOnlyList<InFlightRequest> asked, RequestBook book,
        HashSet<(NeighbourId, PieceId)>? stalled, ref (NeighbourView, TimeSpan)? best)
    {
        if (RequestBook.AnyTo(asked, neighbour.Id) || stalled?.Contains((neighbour.Id, key)) == true) return;
        var queued = book.InFlightTo(neighbour.Id);
        if (queued >= Capacity(neighbour)) return;
        var expected = ExpectedTime(neighbour, queued, length);
        if (best is null || expected < best.Value.Item2) best = (neighbour, expected);
    }
}
