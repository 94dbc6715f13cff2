using System.Diagnostics;
using Shoal.Core.Qos;
using Shoal.Engine;
using Shoal.Simulation.Reporting;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Flow;

/// <summary>Samples over time and the final QoS report, counted exactly as the packet simulator counts them.</summary>
internal sealed partial class FlowRun
{
    private readonly long[] _originPerSecond;
    private readonly bool[][] _delivered;
    private readonly List<TimeSeriesSample> _samples = [];
    private readonly List<double> _bufferSamples = [];
    private long _originBytes;
    private long _peerBytes;
    private long _toPlayers;
    private long _duplicateBytes;
    private (double At, long Origin, long Peers, long ToPlayers) _lastSample;

    private void Sample()
    {
        var online = 0;
        var stalled = 0;
        var buffers = new List<double>();
        foreach (var node in _nodes)
        {
            if (!node.Online) continue;
            online++;
            if (node.State == PlayerState.Stalled) stalled++;
            if (node.Holdings!.Resource.Kind != ScenarioKind.File && node.State != PlayerState.Finished) buffers.Add(BufferSeconds(node));
        }
        buffers.Sort();
        _bufferSamples.AddRange(buffers);
        var seconds = _now.TotalSeconds - _lastSample.At;
        var toPlayers = _toPlayers - _lastSample.ToPlayers;
        var origin = _originBytes - _lastSample.Origin;
        var peers = _peerBytes - _lastSample.Peers;
        _samples.Add(new TimeSeriesSample(
            _now.TotalSeconds,
            online,
            _toPlayers > 0 ? 1 - ((double)_originBytes / _toPlayers) : double.NaN,
            toPlayers > 0 ? 1 - ((double)origin / toPlayers) : double.NaN,
            seconds > 0 ? origin * 8 / seconds / 1e6 : 0,
            seconds > 0 ? peers * 8 / seconds / 1e6 : 0,
            Quantile(buffers, 0.05),
            Quantile(buffers, 0.50),
            Quantile(buffers, 0.95),
            stalled));
        _lastSample = (_now.TotalSeconds, _originBytes, _peerBytes, _toPlayers);
        if (_now.TotalSeconds < _scenario.DurationSeconds) Schedule(_now + TimeSpan.FromSeconds(_flow.SampleSeconds), Sample);
    }

    /// <summary>Media seconds a player has ahead of its playhead: the rest of the playing segment and whole segments after it.</summary>
    private double BufferSeconds(FlowNode node)
    {
        var holdings = node.Holdings!;
        var resource = holdings.Resource;
        var buffer = 0.0;
        var k = node.Segment;
        if (node.State == PlayerState.Playing)
        {
            buffer = Math.Max(0, (node.SegmentPlayStart + TimeSpan.FromSeconds(resource.Timing(k).Duration) - _now).TotalSeconds);
            k++;
        }
        for (; k < resource.SegmentCount && holdings.IsComplete(k); k++) buffer += resource.Timing(k).Duration;
        return buffer;
    }

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(q * sorted.Count))];

    private FlowRunResult Summarise(TimeSpan wall)
    {
        var s = _scenario;
        var media = s.Kind != ScenarioKind.File;
        var fromOrigin = _nodes.Sum(n => n.BytesFromOrigin);
        var fromPeers = _nodes.Sum(n => n.BytesFromPeers);
        var toPlayers = _nodes.Sum(n => n.BytesToPlayer);
        var watched = _nodes.Sum(n => n.WatchedSeconds);

        var distinct = 0L;
        foreach (var resource in _resources)
            for (var k = 0; k < resource.SegmentCount; k++)
                if (_delivered[resource.Index][k]) distinct += resource.Timing(k).Length;
        var peerCapacity = _nodes.Sum(n => n.OnlineSeconds * n.UpBytesPerSecond);
        var bound = OffloadBound.Of(distinct, toPlayers, peerCapacity);

        var report = new QosReport
        {
            Scenario = s.Name,
            Viewers = s.Viewers,
            DurationSeconds = s.DurationSeconds,
            StartupSeconds = media ? Percentiles.Of(_nodes.SelectMany(n => n.Startups)) : null,
            StallSecondsPer30Min = media ? QosReport.PerThirtyMinutes(_nodes.Sum(n => n.StallSeconds), watched) : null,
            StallsPer30Min = media ? QosReport.PerThirtyMinutes(_nodes.Sum(n => n.Stalls), watched) : null,
            LagBehindLiveSeconds = s.Kind == ScenarioKind.Live
                ? Percentiles.Of(_nodes.Where(n => n.LagCount > 0).Select(n => n.LagSum / n.LagCount))
                : null,
            SeekSeconds = s.Kind == ScenarioKind.Vod ? Percentiles.Of(_nodes.SelectMany(n => n.Seeks)) : null,
            Offload = QosReport.OffloadOf(fromOrigin, toPlayers),
            OffloadBound = bound,
            Bytes = new ByteCounts(toPlayers, fromOrigin, fromPeers, 0) { OriginEgress = _originBytes },
        };
        var result = new ScenarioResult
        {
            Report = report,
            Seed = s.Seed,
            CompletionSeconds = s.Kind == ScenarioKind.File ? Percentiles.Of(_nodes.SelectMany(n => n.Completions)) : null,
            Completed = _nodes.Sum(n => n.Completions.Count),
            OriginRequests = _nodes.Sum(n => n.OriginRanges),
            UrgentOriginRequests = _nodes.Sum(n => n.UrgentOriginRanges),
            DuplicateBytes = _duplicateBytes,
            BytesUploaded = _nodes.Sum(n => n.BytesUploaded),
            EndGameDuplicates = _nodes.Sum(n => n.EndGameDuplicates),
            RequestStalls = _nodes.Sum(n => n.RequestStalls),
            TraceHash = _trace,
        };
        var series = new SimulationSeries(s.Name, _samples, _bufferSamples, []);
        using var process = Process.GetCurrentProcess();
        return new FlowRunResult
        {
            Result = result,
            Series = series,
            Events = _eventsRun,
            WallSeconds = wall.TotalSeconds,
            PeakMemoryBytes = process.PeakWorkingSet64,
            CpuSeconds = process.TotalProcessorTime.TotalSeconds,
            GcPauseSeconds = GC.GetTotalPauseDuration().TotalSeconds,
            AllocatedMib = GC.GetTotalAllocatedBytes() / 1048576.0,
            OriginPeakMbps = _originPerSecond.Length == 0 ? 0 : _originPerSecond.Max() * 8 / 1e6,
            Sessions = _nodes.Sum(n => n.Sessions),
            Startups = _nodes.Sum(n => n.Startups.Count),
            Seeks = _nodes.Sum(n => n.Seeks.Count),
            LiveJumps = _nodes.Sum(n => n.LiveJumps),
            UploadSource = _flow.UploadSource,
            Phases = new FlowRunPhases
            {
                NetworkSeconds = Seconds(_networkTicks),
                ArrivalsSeconds = Seconds(_arrivalTicks),
                EventsSeconds = Seconds(_eventTicks),
                PlanningSeconds = Seconds(_planningTicks),
                ApplyingSeconds = Seconds(_applyingTicks),
                SharedSeconds = _workers.SharedTime.TotalSeconds,
                HelperBusySeconds = _workers.HelperBusyTime.TotalSeconds,
                Passes = _passes,
                EmptyPasses = _emptyPasses,
            },
        };
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
