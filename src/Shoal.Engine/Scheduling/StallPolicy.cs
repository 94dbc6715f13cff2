namespace Shoal.Engine.Scheduling;

/// <summary>
/// Says when a request to a neighbour has stalled: it is several times later than expected (and never sooner than a
/// floor, so one slow RTT sample does not trip it). A stalled piece goes back to the pool and moves to another
/// neighbour, or to the origin when its deadline is near.
/// </summary>
internal sealed class StallPolicy(SchedulerSettings settings)
{
    public bool IsStalled(InFlightRequest request, Instant now) => now > StallsAfter(request);

    /// <summary>The last instant at which the request still counts as on its way.</summary>
    public Instant StallsAfter(InFlightRequest request)
    {
        var expected = request.ExpectedBy - request.Sent;
        var limit = TimeSpan.FromTicks((long)(expected.Ticks * settings.StallFactor));
        if (limit < settings.MinimumStallTimeout) limit = settings.MinimumStallTimeout;
        return request.Sent + limit;
    }
}
