using Shoal.Core.Identity;
using Shoal.Engine.Scheduling;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Flow;

/// <summary>
/// One swarm of a flow-level run: the live stream, one VOD title, or the file. It knows only timings (no bytes are
/// simulated): each segment's length, pieces and place on the media timeline, and for live when it was published.
/// </summary>
internal sealed class FlowResource
{
    private readonly Scenario _scenario;
    private readonly SegmentTiming?[] _timings;
    private readonly double _window;

    public FlowResource(Scenario scenario, int index, int segmentCount)
    {
        _scenario = scenario;
        Index = index;
        Rid = Rid.ForUrl($"http://origin.sim/{scenario.Name}/{index}");
        PieceSize = scenario.PieceKib * 1024;
        _timings = new SegmentTiming?[segmentCount];
        SegmentCount = segmentCount;
        Kind = scenario.Kind;
        if (Kind == ScenarioKind.Live) Prepublished = (int)Math.Ceiling(scenario.LagSeconds / scenario.SegmentSeconds) + 3;
        _window = Math.Max(scenario.LagSeconds * 3, 30);
        if (Kind == ScenarioKind.File)
        {
            FileBytes = (long)(scenario.FileMib * 1024 * 1024);
            SegmentBytes = (long)(scenario.FileSegmentMib * 1024 * 1024);
            FileByteRate = scenario.FileRateKbps * 1000 / 8;
        }
        else SegmentBytes = (long)(scenario.StreamKbps * 1000 / 8 * scenario.SegmentSeconds);
        MaxPiecesPerSegment = (int)((SegmentBytes + PieceSize - 1) / PieceSize);
    }

    public int Index { get; }

    public Rid Rid { get; }

    public ScenarioKind Kind { get; }

    public int PieceSize { get; }

    public int SegmentCount { get; }

    public int Prepublished { get; }

    public long SegmentBytes { get; }

    public long FileBytes { get; }

    public double FileByteRate { get; }

    public int MaxPiecesPerSegment { get; }

    public double SegmentSeconds => _scenario.SegmentSeconds;

    /// <summary>Viewers online in this swarm now (the tracker's count).</summary>
    public int Online { get; set; }

    public SegmentTiming Timing(long sequence) => _timings[sequence] ??= Build(sequence);

    public int PieceCount(long sequence) => Timing(sequence).PieceCount;

    /// <summary>Seconds at which live segment <paramref name="sequence"/> appears at the origin (0 on demand).</summary>
    public double PublishedAt(long sequence) => Kind == ScenarioKind.Live ? (sequence + 1 - Prepublished) * _scenario.SegmentSeconds : 0;

    /// <summary>One past the newest segment available at <paramref name="seconds"/>.</summary>
    public long AvailableEnd(double seconds) => Kind == ScenarioKind.Live
        ? Math.Clamp((long)Math.Floor(seconds / _scenario.SegmentSeconds + 1e-9) + Prepublished, 0, SegmentCount)
        : SegmentCount;

    /// <summary>The oldest segment still in the live playlist at <paramref name="seconds"/>.</summary>
    public long AvailableStart(double seconds) => Kind == ScenarioKind.Live
        ? Math.Max(0, AvailableEnd(seconds) - (long)Math.Floor(_window / _scenario.SegmentSeconds))
        : 0;

    /// <summary>Where a live viewer joining at <paramref name="seconds"/> starts: lag_s behind the newest segment's end.</summary>
    public long LiveStartSegment(double seconds)
    {
        var end = AvailableEnd(seconds);
        var position = Math.Max(0, Timing(end - 1).MediaEnd - _scenario.LagSeconds);
        return Math.Clamp((long)Math.Floor(position / _scenario.SegmentSeconds), 0, end - 1);
    }

    private SegmentTiming Build(long sequence)
    {
        if (Kind != ScenarioKind.File)
            return new SegmentTiming(sequence, SegmentBytes, PieceSize, sequence * _scenario.SegmentSeconds, _scenario.SegmentSeconds, WholeSegment: true);
        var offset = sequence * SegmentBytes;
        var length = Math.Min(SegmentBytes, FileBytes - offset);
        return new SegmentTiming(sequence, length, PieceSize, offset / FileByteRate, length / FileByteRate);
    }
}
