namespace Shoal.Engine.Scheduling;

/// <summary>
/// When each segment that appeared during the session (a new live segment) was first seen. Segments present at the
/// first pass (a live window at join, a whole VOD) have no age: they are not new, and whoever else watches may well
/// hold them. Only segments newer than any seen before get an age, so a seek back does not make old ones new. A
/// download counts every segment from its first pass instead: its age is how long the node has waited for it.
/// </summary>
internal sealed class SegmentAges
{
    private readonly Dictionary<long, Instant> _firstSeen = [];
    private long? _newest;
    // The lowest segment noted: while a pass's first segment is not above it there is nothing to forget, and a pass
    // need not walk the dictionary (the playhead moves one segment every few seconds; a pass runs several times a second).
    private long _lowest = long.MaxValue;

    /// <summary>Notes the segments of one pass and forgets those below the first of them.</summary>
    /// <param name="segments">The pass's segments.</param>
    /// <param name="now">The pass's instant.</param>
    /// <param name="countFromStart">A download waits on every segment from its first pass: they all get an age.</param>
    public void Observe(IReadOnlyList<SegmentTiming> segments, Instant now, bool countFromStart = false)
    {
        if (segments.Count == 0) return;
        var first = segments[0].Sequence;
        // Removing while enumerating is allowed for Dictionary (.NET Core 3.0 on), and saves a copy on every pass.
        if (!countFromStart && first > _lowest)
        {
            _lowest = long.MaxValue;
            foreach (var seen in _firstSeen.Keys)
                if (seen < first) _firstSeen.Remove(seen);
                else if (seen < _lowest) _lowest = seen;
        }
        var newest = _newest;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if ((countFromStart || (_newest is { } known && segment.Sequence > known)) && _firstSeen.TryAdd(segment.Sequence, now) &&
                segment.Sequence < _lowest)
                _lowest = segment.Sequence;
            if (newest is null || segment.Sequence > newest) newest = segment.Sequence;
        }
        _newest = newest;
    }

    /// <summary>How long ago the segment appeared; zero for a segment that is not new.</summary>
    public TimeSpan AgeOf(long segment, Instant now) =>
        _firstSeen.TryGetValue(segment, out var seen) ? now - seen : TimeSpan.Zero;
}
