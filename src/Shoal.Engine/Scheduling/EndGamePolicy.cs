namespace Shoal.Engine.Scheduling;

/// <summary>
/// End game: once every fetchable piece is asked for, a second request for a piece is sent only when it pays:
/// the piece has fewer than the allowed requests, the request already out is expected to land too late (after the
/// piece turns urgent, when the origin would have to step in), and the new neighbour is expected to deliver it
/// several times sooner, in time. Otherwise a duplicate only wastes someone's upload.
/// </summary>
internal sealed class EndGamePolicy(SchedulerSettings settings)
{
    /// <summary>
    /// Whether any neighbour could earn a duplicate for the piece at all: the checks that do not depend on the
    /// candidate, so the scheduler only looks for a candidate (a scan of every neighbour) when one could pay.
    /// </summary>
    public bool MayDuplicate(IReadOnlyList<InFlightRequest> existing, Instant? needBy)
    {
        if (existing.Count == 0 || existing.Count >= settings.EndGameMaxRequestsPerPiece) return false;
        if (needBy is not { } due) return true;
        var soonest = existing[0].ExpectedBy;
        for (var i = 1; i < existing.Count; i++)
            if (existing[i].ExpectedBy < soonest) soonest = existing[i].ExpectedBy;
        return soonest > due;
    }

    /// <param name="existing">The requests out for the piece.</param>
    /// <param name="candidateExpected">How long the candidate neighbour is expected to take.</param>
    /// <param name="now">The current instant.</param>
    /// <param name="needBy">When the piece turns urgent (its deadline less the urgent horizon); null for a download, which only wants it sooner.</param>
    public bool ShouldDuplicate(IReadOnlyList<InFlightRequest> existing, TimeSpan candidateExpected, Instant now, Instant? needBy)
    {
        if (existing.Count == 0 || existing.Count >= settings.EndGameMaxRequestsPerPiece) return false;
        // Indexed loops, not LINQ's Min: over the interface that boxes the list's enumerator, in every end-game pass.
        var soonest = existing[0].ExpectedBy;
        var firstSent = existing[0].Sent;
        for (var i = 1; i < existing.Count; i++)
        {
            if (existing[i].ExpectedBy < soonest) soonest = existing[i].ExpectedBy;
            if (existing[i].Sent < firstSent) firstSent = existing[i].Sent;
        }
        if (needBy is { } due && (soonest <= due || now + candidateExpected > due)) return false;
        var remaining = soonest - now;
        // An overdue request has no useful estimate left; count the time it has already taken as what remains.
        if (remaining <= TimeSpan.Zero) remaining = now - firstSent;
        return candidateExpected * settings.EndGameGainFactor < remaining;
    }
}
