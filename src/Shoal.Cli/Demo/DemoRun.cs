using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Shoal.Core.Qos;
using Spectre.Console;

namespace Shoal.Cli.Demo;

/// <summary>
/// `shoal demo`: starts an origin replaying the samples as a live channel, a tracker and N nodes as separate
/// processes on loopback, a real-time player per node that joins at staggered times (some leave and come
/// back), shows a live table, and ends with DESIGN.md's QoS table.
/// </summary>
internal sealed class DemoRun
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly DemoOptions _options;
    private readonly IAnsiConsole _console;
    private readonly ConcurrentDictionary<long, int> _uniqueSegments = new();
    private readonly List<ChildProcess> _services = [];
    private readonly List<DemoViewer> _viewers = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly HttpClient _statusHttp = new() { Timeout = TimeSpan.FromSeconds(2) };
    private long _originLiveBytes;
    private TimeSpan _lastOriginReading;
    private double _originMbit;

    public DemoRun(DemoOptions options, IAnsiConsole console)
    {
        _options = options;
        _console = console;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var samples = _options.Samples ?? FindSamples();
        if (samples is null || !File.Exists(Path.Combine(samples, "index.m3u8")))
        {
            _console.MarkupLineInterpolated($"[red]shoal demo: no HLS samples found[/] (looked for samples/hls/index.m3u8 above {Environment.CurrentDirectory}); pass --samples DIR.");
            return 2;
        }

        var logs = _options.LogDirectory ?? Directory.CreateTempSubdirectory("shoal-demo-").FullName;
        Directory.CreateDirectory(logs);
        try
        {
            return await RunSwarmAsync(samples, logs, cancellationToken);
        }
        finally
        {
            await StopEverythingAsync();
            _http.Dispose();
            _statusHttp.Dispose();
        }
    }

    private async Task<int> RunSwarmAsync(string samples, string logs, CancellationToken cancellationToken)
    {
        var originPort = FreePorts.Tcp();
        var trackerUdp = FreePorts.Udp();
        var trackerHttp = FreePorts.Tcp();
        var origin = new Uri($"http://127.0.0.1:{originPort}");
        var tracker = new Uri($"http://127.0.0.1:{trackerHttp}");
        var liveUrl = new Uri(origin, "/live/index.m3u8");

        _console.MarkupLineInterpolated($"[bold]Shoal demo[/]: {_options.Nodes} viewers for {_options.Duration.TotalSeconds:0} s. Logs in {logs}");
        var originArgs = new List<string> { "origin", samples, "--port", originPort.ToString(CultureInfo.InvariantCulture), "--live" };
        if (_options.OriginRateLimitMbit is { } limit)
        {
            originArgs.AddRange(["--rate-limit", limit.ToString(CultureInfo.InvariantCulture)]);
        }

        _services.Add(ChildProcess.StartShoal("origin", originArgs, logs));
        _services.Add(ChildProcess.StartShoal("tracker",
            ["tracker", "--udp", trackerUdp.ToString(CultureInfo.InvariantCulture), "--http", trackerHttp.ToString(CultureInfo.InvariantCulture)], logs));
        if (!await WaitReadyAsync(new Uri(origin, "/stats"), _services[0], cancellationToken) ||
            !await WaitReadyAsync(new Uri(tracker, "/v1/key"), _services[1], cancellationToken))
        {
            return 1;
        }

        for (var i = 0; i < _options.Nodes; i++)
        {
            var viewer = new DemoViewer(i, FreePorts.Tcp(), FreePorts.Udp());
            _viewers.Add(viewer);
        }

        var playlistPath = "/o/" + Uri.EscapeDataString(liveUrl.ToString());
        _console.MarkupLine("Dashboards (open one in a browser):");
        foreach (var viewer in _viewers.Take(3))
        {
            // Plain lines, never wrapped, so the URL can be copied (and read by scripts).
            People.WriteLine($"  {viewer.Name}: {viewer.Gateway}ui?play={Uri.EscapeDataString(playlistPath)}");
        }

        People.WriteLine($"  tracker overview: {tracker}");
        var started = TimeProvider.System.GetTimestamp();
        var leaveAt = _options.Duration / 2;
        var generation = new int[_options.Nodes];
        var awaySince = new TimeSpan?[_options.Nodes];
        var nextJoin = 0;

        void StartNode(DemoViewer viewer) => viewer.StartNode(NodeArguments(viewer, trackerHttp, logs), logs, generation[viewer.Index]++);

        await RenderLoopAsync(async (elapsed) =>
        {
            while (nextJoin < _viewers.Count && elapsed >= _options.JoinInterval * nextJoin)
            {
                var viewer = _viewers[nextJoin++];
                StartNode(viewer);
                if (await WaitReadyAsync(new Uri(viewer.Gateway, "/api/status"), viewer.Node, cancellationToken))
                {
                    viewer.StartWatching(_http, new Uri(viewer.Gateway, playlistPath), (sequence, bytes) => _uniqueSegments.TryAdd(sequence, bytes));
                }
            }

            foreach (var viewer in _viewers.Where(v => IsLeaver(v) && v.IsWatching && awaySince[v.Index] is null && elapsed >= leaveAt))
            {
                awaySince[viewer.Index] = elapsed;
                await viewer.StopWatchingAsync();

                // The node's final counters, read after its player has gone, carry over to its next life.
                await PollViewerAsync(viewer);
                await viewer.StopNodeAsync();
            }

            foreach (var viewer in _viewers.Where(v => awaySince[v.Index] is { } since && !v.NodeRunning && elapsed - since >= _options.AwayFor))
            {
                StartNode(viewer);
                if (await WaitReadyAsync(new Uri(viewer.Gateway, "/api/status"), viewer.Node, cancellationToken))
                {
                    viewer.StartWatching(_http, new Uri(viewer.Gateway, playlistPath), (sequence, bytes) => _uniqueSegments.TryAdd(sequence, bytes));
                }
            }

            await PollAsync(origin, elapsed);
        }, started, cancellationToken);

        foreach (var viewer in _viewers)
        {
            await viewer.StopWatchingAsync();
        }

        await PollAsync(origin, TimeProvider.System.GetElapsedTime(started));
        var report = BuildReport(TimeProvider.System.GetElapsedTime(started));
        if (_options.Json)
        {
            Console.Out.WriteLine(report.ToJson());
        }

        _console.WriteLine();
        _console.Write(new Text(report.ToTable()));
        var failures = _viewers.Select(v => v.NodeFailure).OfType<string>().ToList();
        foreach (var failure in failures)
        {
            _console.MarkupLineInterpolated($"[red]{failure}[/]");
        }

        if (report.Bytes.ToPlayers == 0 || failures.Count > 0)
        {
            _console.MarkupLineInterpolated($"[red]shoal demo: the swarm did not run as it should (see the logs in {logs}).[/]");
            return 1;
        }

        return 0;
    }

    /// <summary>Where lines for people go: stderr when stdout carries the JSON report.</summary>
    private TextWriter People => _options.Json ? Console.Error : Console.Out;

    private bool IsLeaver(DemoViewer viewer) => _options.LeaverEvery > 0 && viewer.Index % _options.LeaverEvery == _options.LeaverEvery - 2;

    private static List<string> NodeArguments(DemoViewer viewer, int trackerHttp, string logs) =>
    [
        "node",
        "--tracker-http", $"http://127.0.0.1:{trackerHttp}",
        "--gateway", $"127.0.0.1:{viewer.GatewayPort}",
        "--port", viewer.UdpPort.ToString(CultureInfo.InvariantCulture),
        "--cache", Path.Combine(logs, viewer.Name + "-cache"),
        "--name", viewer.Name,
        "--lag", DemoOptions.LagBehindLiveSeconds.ToString(CultureInfo.InvariantCulture),
    ];

    private async Task RenderLoopAsync(Func<TimeSpan, Task> tick, long started, CancellationToken cancellationToken)
    {
        var interactive = !_options.Json && _console.Profile.Capabilities.Interactive;
        // Short headings and no wrapping, so the table fits an 80-column terminal.
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "node", "state", "nbrs", "peers", "origin", "up", "buffer", "stalls", "start" })
        {
            table.AddColumn(new TableColumn(column) { Padding = new Padding(0, 0, 2, 0) }.NoWrap());
        }

        async Task Loop(Action<TimeSpan> refresh)
        {
            var lastLine = TimeSpan.Zero;
            while (!cancellationToken.IsCancellationRequested)
            {
                var elapsed = TimeProvider.System.GetElapsedTime(started);
                if (elapsed >= _options.Duration)
                {
                    return;
                }

                await tick(elapsed);
                if (interactive)
                {
                    Fill(table, elapsed);
                    refresh(elapsed);
                }
                else if (elapsed - lastLine >= TimeSpan.FromSeconds(5))
                {
                    lastLine = elapsed;
                    _console.MarkupLine(Markup.Escape(SwarmLine(elapsed)));
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        if (interactive)
        {
            // The swarm line sits under the table, not in its caption, so it never widens the columns.
            await _console.Live(new Rows(table, new Text(string.Empty))).StartAsync(ctx => Loop(elapsed =>
            {
                ctx.UpdateTarget(new Rows(table, new Text(SwarmLine(elapsed))));
                ctx.Refresh();
            }));
        }
        else
        {
            await Loop(_ => { });
        }
    }

    private void Fill(Table table, TimeSpan elapsed)
    {
        table.Rows.Clear();
        foreach (var viewer in _viewers)
        {
            var player = viewer.Current;
            var total = Total(viewer);
            table.AddRow(
                viewer.Name,
                !viewer.NodeRunning ? "away" : player?.State ?? "join",
                viewer.Status.Neighbours.ToString(CultureInfo.InvariantCulture),
                Bytes(total.BytesFromPeers),
                Bytes(total.BytesFromOrigin),
                Bytes(total.BytesUploaded),
                player is null ? "–" : $"{player.BufferSeconds:0.0}s",
                viewer.Sessions.Sum(s => s.StallCount).ToString(CultureInfo.InvariantCulture),
                player?.StartupSeconds is { } startup ? $"{startup:0.00}s" : "–");
        }

    }

    private string SwarmLine(TimeSpan elapsed)
    {
        var toPlayers = _viewers.Sum(v => v.Sessions.Sum(s => s.BytesReceived));
        var offload = QosReport.OffloadOf(Interlocked.Read(ref _originLiveBytes), toPlayers);
        return string.Create(CultureInfo.InvariantCulture,
            $"{elapsed.TotalSeconds:0} s / {_options.Duration.TotalSeconds:0} s   swarm: {_viewers.Count(v => v.IsWatching)} watching, " +
            $"offload {(offload is { } o ? (o * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–")}, origin {_originMbit:0.00} Mbit/s, " +
            $"to players {Bytes(toPlayers)}");
    }

    private static NodeStatusReading Total(DemoViewer viewer) => new(
        viewer.Status.Neighbours,
        viewer.CarriedOver.BytesFromPeers + viewer.Status.BytesFromPeers,
        viewer.CarriedOver.BytesFromOrigin + viewer.Status.BytesFromOrigin,
        viewer.CarriedOver.BytesUploaded + viewer.Status.BytesUploaded,
        viewer.CarriedOver.DeliveredFromPeers + viewer.Status.DeliveredFromPeers,
        viewer.CarriedOver.DeliveredFromOrigin + viewer.Status.DeliveredFromOrigin);

    private async Task PollAsync(Uri origin, TimeSpan elapsed)
    {
        await Task.WhenAll(_viewers.Where(v => v.NodeRunning).Select(PollViewerAsync));
        try
        {
            using var stats = JsonDocument.Parse(await _statusHttp.GetStringAsync(new Uri(origin, "/stats")));
            var live = stats.RootElement.GetProperty("live_segment_bytes").GetInt64();
            var previous = Interlocked.Exchange(ref _originLiveBytes, live);

            // The rate over the time since the last reading, which is a second plus however long the polling took.
            var seconds = (elapsed - _lastOriginReading).TotalSeconds;
            _originMbit = seconds > 0 ? (live - previous) * 8 / 1e6 / seconds : 0;
            _lastOriginReading = elapsed;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
        }
    }

    private async Task PollViewerAsync(DemoViewer viewer)
    {
        try
        {
            viewer.Status = NodeStatusReading.Parse(await _statusHttp.GetStringAsync(new Uri(viewer.Gateway, "/api/status")));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            // A node that is starting or leaving keeps its last reading.
        }
    }

    private QosReport BuildReport(TimeSpan elapsed)
    {
        var sessions = _viewers.SelectMany(v => v.Sessions).ToList();
        var totals = _viewers.Select(Total).ToList();
        var toPlayers = sessions.Sum(s => s.BytesReceived);
        var watched = sessions.Sum(s => s.WatchedSeconds);
        var uniqueBytes = _uniqueSegments.Values.Sum(v => (long)v);
        var originEgress = Interlocked.Read(ref _originLiveBytes);
        return new QosReport
        {
            Scenario = "demo-live",
            Viewers = _viewers.Count,
            DurationSeconds = Math.Round(elapsed.TotalSeconds, 1),
            StartupSeconds = Percentiles.Of(sessions.Select(s => s.StartupSeconds).OfType<double>()),
            StallSecondsPer30Min = QosReport.PerThirtyMinutes(sessions.Sum(s => s.StallSeconds), watched),
            StallsPer30Min = QosReport.PerThirtyMinutes(sessions.Sum(s => s.StallCount), watched),
            LagBehindLiveSeconds = Percentiles.Of(sessions.SelectMany(s => s.LagBehindLiveSamples), includeP99: false),
            Offload = QosReport.OffloadOf(originEgress, toPlayers),
            OffloadBound = QosReport.OffloadOf(uniqueBytes, toPlayers),
            Bytes = new ByteCounts(
                toPlayers,
                totals.Sum(t => t.DeliveredFromOrigin),
                totals.Sum(t => t.DeliveredFromPeers),
                0)
            {
                OriginEgress = originEgress,
            },
        };
    }

    private async Task<bool> WaitReadyAsync(Uri probe, ChildProcess? process, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(deadline) < ReadyTimeout && !cancellationToken.IsCancellationRequested)
        {
            if (process is { HasExited: true })
            {
                _console.MarkupLineInterpolated($"[red]{process.Name} exited during start-up:[/] {process.Tail}");
                return false;
            }

            try
            {
                using var response = await _statusHttp.GetAsync(probe, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        _console.MarkupLineInterpolated($"[red]{probe} did not answer within {ReadyTimeout.TotalSeconds:0} s[/]");
        return false;
    }

    private async Task StopEverythingAsync()
    {
        await Task.WhenAll(_viewers.Select(v => v.DisposeAsync().AsTask()));
        foreach (var service in Enumerable.Reverse(_services))
        {
            await service.DisposeAsync();
        }
    }

    private static string Bytes(long n) => n switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e9:0.00} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e6:0.0} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e3:0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n} B"),
    };

    /// <summary>samples/hls above the working directory or the executable, so `./shoal demo` works from anywhere in the checkout.</summary>
    private static string? FindSamples()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples", "hls");
                if (File.Exists(Path.Combine(candidate, "index.m3u8")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
