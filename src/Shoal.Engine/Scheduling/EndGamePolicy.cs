namespace Shoal.Engine.Scheduling;

/// <summary>
/// End game: once every fetchable piece is asked for, a second request for a piece is sent only when it pays:
/// the piece has fewer than the allowed requests, and the new neighbour is expected to deliver it several times
/// sooner than the request already out (a duplicate otherwise only wastes someone's upload).
/// </summary>
internal sealed class EndGamePolicy(SchedulerSettings settings)
{
    public bool ShouldDuplicate(IReadOnlyList<InFlightRequest> existing, TimeSpan candidateExpected, Instant now)
    {
        if (existing.Count == 0 || existing.Count >= settings.EndGameMaxRequestsPerPiece) return false;
        var soonest = existing.Min(r => r.ExpectedBy);
        var remaining = soonest - now;
        // An overdue request has no useful estimate left; count the time it has already taken as what remains.
        if (remaining <= TimeSpan.Zero) remaining = now - existing.Min(r => r.Sent);
        return candidateExpected * settings.EndGameGainFactor < remaining;
    }
}
