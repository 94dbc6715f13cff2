using System.Runtime.InteropServices;

namespace Shoal.Engine.Scheduling;

/// <summary>The median neighbour RTT and rate that size the scheduler's zones (<see cref="ZoneChooser.Adapt"/>); sorts in place.</summary>
internal static class Medians
{
    public static TimeSpan? Of(List<TimeSpan> values)
    {
        if (values.Count == 0) return null;
        // As ticks: a primitive sort, without a comparer call per comparison (every pass sorts a few dozen of these).
        MemoryMarshal.Cast<TimeSpan, long>(CollectionsMarshal.AsSpan(values)).Sort();
        return values[values.Count / 2];
    }

    public static double? Of(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        return values[values.Count / 2];
    }
}
