namespace Shoal.Engine.Scheduling;

/// <summary>
/// Decides a piece's zone from the time left to its deadline. The zone sizes follow the measured neighbours:
/// the urgent horizon is a safety multiple of the time one piece takes from a typical neighbour, and the peer
/// window grows while neighbours deliver faster than the stream plays (a fast swarm can afford to look further ahead).
/// </summary>
internal sealed class ZoneChooser(SchedulerSettings settings)
{
    public TimeSpan UrgentHorizon { get; private set; } = settings.MinimumUrgentHorizon;

    public TimeSpan PeerWindow { get; private set; } = settings.MinimumPeerWindow;

    /// <summary>Re-sizes the zones from fresh measurements.</summary>
    /// <param name="typicalRtt">A typical neighbour's round-trip time.</param>
    /// <param name="typicalRate">A typical neighbour's delivery rate to us, bytes per second (0 if unknown).</param>
    /// <param name="pieceSize">The resource's piece size in bytes.</param>
    /// <param name="aggregatePeerRate">All neighbours' delivery rate to us, bytes per second.</param>
    /// <param name="streamRate">The stream's byte rate at normal speed (0 for a plain file).</param>
    public void Adapt(TimeSpan typicalRtt, double typicalRate, int pieceSize, double aggregatePeerRate, double streamRate)
    {
        var rate = typicalRate > 0 ? typicalRate : settings.UnmeasuredNeighbourRate;
        var onePiece = typicalRtt.TotalSeconds + pieceSize / rate;
        UrgentHorizon = Clamp(TimeSpan.FromSeconds(onePiece * settings.UrgentSafetyFactor), settings.MinimumUrgentHorizon, settings.MaximumUrgentHorizon);

        var speedup = streamRate > 0 && aggregatePeerRate > 0 ? aggregatePeerRate / streamRate : 1.0;
        PeerWindow = Clamp(settings.MinimumPeerWindow * Math.Max(1.0, speedup), settings.MinimumPeerWindow, settings.MaximumPeerWindow);
    }

    public Zone Classify(TimeSpan untilDeadline) =>
        untilDeadline < UrgentHorizon ? Zone.Urgent
        : untilDeadline <= UrgentHorizon + PeerWindow ? Zone.PeerWindow
        : Zone.Beyond;

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}
