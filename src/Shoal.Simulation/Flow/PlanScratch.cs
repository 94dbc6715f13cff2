using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>The lists one planning thread fills for each pass it runs, reused so that millions of passes allocate little.</summary>
internal sealed class PlanScratch
{
    public List<NeighbourView> Views { get; } = new(32);

    public List<TimeSpan> Rtts { get; } = new(32);

    public List<double> Rates { get; } = new(32);

    public List<SegmentTiming> Segments { get; } = new(64);

    public NeighbourAvailability Availability { get; } = new();
}
