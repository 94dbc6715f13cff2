namespace Shoal.Engine.Scheduling;

/// <summary>Lookups in a pass's list of segment timings.</summary>
internal static class SegmentTimings
{
    /// <summary>The timing of segment <paramref name="sequence"/>, or null: a linear scan, as a pass has few segments.</summary>
    public static SegmentTiming? Find(IReadOnlyList<SegmentTiming> segments, long sequence)
    {
        for (var i = 0; i < segments.Count; i++)
            if (segments[i].Sequence == sequence) return segments[i];
        return null;
    }
}
