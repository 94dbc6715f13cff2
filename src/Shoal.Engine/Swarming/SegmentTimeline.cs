using Shoal.Core.Manifests;
using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Swarming;

/// <summary>
/// Places the manifest's segments on one media timeline (seconds) that stays put as a live manifest slides: the
/// first segment this node learns of starts at 0, each later one where the previous ended. A plain file's segments
/// get durations from a nominal byte rate.
/// </summary>
internal sealed class SegmentTimeline(double fileByteRate)
{
    private readonly SortedList<long, SegmentTiming> _timings = [];
    private readonly Dictionary<long, SegmentEntry> _entries = [];

    public IList<SegmentTiming> All => _timings.Values;

    public int Count => _timings.Count;

    public SegmentTiming? this[long sequence] => _timings.GetValueOrDefault(sequence);

    public SegmentEntry? Entry(long sequence) => _entries.GetValueOrDefault(sequence);

    /// <summary>The end of the newest segment: the live edge on this timeline.</summary>
    public double End => _timings.Count == 0 ? 0 : _timings.Values[^1].MediaEnd;

    public long? LastSequence => _timings.Count == 0 ? null : _timings.Keys[^1];

    /// <summary>Adds the segments of <paramref name="manifest"/> not yet placed; returns how many were new.</summary>
    public int Update(Manifest manifest)
    {
        var added = 0;
        foreach (var entry in manifest.Segments)
        {
            if (_timings.ContainsKey(entry.Sequence)) continue;
            if (_timings.Count > 0 && entry.Sequence < _timings.Keys[0]) continue;
            var duration = entry.Duration?.TotalSeconds ?? entry.Length / fileByteRate;
            var start = _timings.Count == 0 ? 0 : _timings.Values[^1].MediaEnd;
            var whole = manifest.Kind is ResourceKind.HlsLive or ResourceKind.HlsVod or ResourceKind.Dash;
            _timings.Add(entry.Sequence, new SegmentTiming(entry.Sequence, entry.Length, manifest.PieceSize, start, duration, whole));
            _entries[entry.Sequence] = entry;
            added++;
        }
        return added;
    }

    /// <summary>The segments that end after <paramref name="mediaSeconds"/>, in order.</summary>
    public List<SegmentTiming> From(double mediaSeconds)
    {
        var result = new List<SegmentTiming>();
        foreach (var timing in _timings.Values)
            if (timing.MediaEnd > mediaSeconds || (timing.Duration <= 0 && timing.MediaStart >= mediaSeconds)) result.Add(timing);
        return result;
    }

    /// <summary>The segment playing at <paramref name="mediaSeconds"/>, or null before the first and after the last.</summary>
    public SegmentTiming? At(double mediaSeconds) =>
        _timings.Values.FirstOrDefault(t => t.MediaStart <= mediaSeconds && mediaSeconds < t.MediaEnd);

    /// <summary>Forgets segments before <paramref name="sequence"/>.</summary>
    public void DiscardBelow(long sequence)
    {
        while (_timings.Count > 0 && _timings.Keys[0] < sequence)
        {
            _entries.Remove(_timings.Keys[0]);
            _timings.RemoveAt(0);
        }
    }
}
