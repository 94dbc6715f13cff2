namespace Shoal.Simulation.Scenarios;

/// <summary>One stall after start-up: who waited, for which segment, and when (simulated seconds).</summary>
/// <param name="Viewer">The viewer's index in the scenario.</param>
/// <param name="Segment">The segment the player waited for.</param>
/// <param name="PublishedAt">Live: when that segment appeared at the origin; 0 for content on demand.</param>
/// <param name="Start">When the player ran out of data.</param>
/// <param name="End">When it played again (or the session or run ended).</param>
public sealed record StallRecord(int Viewer, long Segment, double PublishedAt, double Start, double End)
{
    public double Seconds => End - Start;
}
