using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Shoal.Simulation.Flow;
using Shoal.Simulation.Reporting;
using Shoal.Simulation.Scenarios;

namespace Shoal.Cli.Commands;

/// <summary>
/// `shoal sim SCENARIO`: runs a scenario on the packet-level simulator (real swarm engines on a simulated network) or the
/// flow-level one (the real scheduler per viewer, bandwidth-shared flows, 10,000+ viewers) and prints its QoS.
/// </summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var scenario = new Argument<FileInfo>("scenario")
        {
            Description = "A scenario file (JSON, see scenarios/*.json): viewers, stream, links, origin, churn, polluters, seeks, and for the flow model its population.",
        };
        var seed = new Option<int?>("--seed") { Description = "Replace the scenario's seed: one seed, one exact history." };
        var duration = new Option<double?>("--duration") { Description = "Replace the scenario's simulated duration, in seconds." };
        var lag = new Option<double?>("--lag") { Description = "Live: replace the lag behind the live edge, in seconds." };
        var viewers = new Option<int?>("--viewers") { Description = "Replace the number of viewers." };
        var model = new Option<SimulationModel?>("--model")
        {
            Description = "packet or flow: which simulator runs the scenario (default: the file's \"model\", else packet).",
        };
        var lags = new Option<string?>("--lags")
        {
            Description = "Flow model, live: also run the scenario at each of these lags (comma-separated seconds, e.g. 6,10,30,90) " +
                "and report offload against lag (table, JSON, CSV and plot).",
        };
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Flow model: write the time series (CSV) and plots (PNG: offload vs time, buffer distribution, offload vs lag) here.",
        };
        var calibrate = new Option<bool>("--calibrate")
        {
            Description = "Run the scenario on both simulators and print how far the flow model is from the packet model " +
                "(offload, start-up, stalls, lag; goal within 15 % on offload and start-up). Meant for the 50-viewer scenarios.",
        };
        var json = new Option<bool>("--json") { Description = "Print the QoS report as one JSON object (DESIGN.md keys) instead of a table." };
        var command = new Command(
            "sim",
            "Run a simulation scenario and print the QoS table of DESIGN.md (start-up, stalls, lag behind live, seek, offload and " +
            "its bound, bytes). The packet model runs every viewer's real Swarm over a seeded simulated network (tens to hundreds of " +
            "viewers); the flow model runs every viewer's real scheduler, membership and unchoker, the tracker's peer-list policy, " +
            "and bandwidth-shared flows (10,000+ viewers). Same seed, same result.")
        {
            scenario, seed, duration, lag, viewers, model, lags, output, calibrate, json,
        };
        command.SetAction(parseResult =>
        {
            var file = parseResult.GetValue(scenario)!;
            if (!Scenario.TryLoad(file.FullName, out var loaded, out var error))
            {
                Console.Error.WriteLine($"shoal sim: {error}");
                return 2;
            }
            if (parseResult.GetValue(duration) is { } seconds) loaded = loaded with { DurationSeconds = seconds };
            if (parseResult.GetValue(lag) is { } lagSeconds) loaded = loaded with { LagSeconds = lagSeconds };
            if (parseResult.GetValue(viewers) is { } count) loaded = loaded with { Viewers = count };
            if (parseResult.GetValue(seed) is { } s) loaded = loaded with { Seed = s };
            if (loaded.Validate() is { } invalid)
            {
                Console.Error.WriteLine($"shoal sim: {invalid}");
                return 2;
            }
            if (parseResult.GetValue(calibrate))
            {
                var calibration = Calibration.Run(loaded);
                Console.WriteLine(parseResult.GetValue(json) ? calibration.ToJson() : calibration.ToTable());
                return 0;
            }
            var chosen = parseResult.GetValue(model) ?? loaded.Model;
            var sweep = ParseLags(parseResult.GetValue(lags), out var lagError);
            if (lagError is not null)
            {
                Console.Error.WriteLine($"shoal sim: {lagError}");
                return 2;
            }
            var outDir = parseResult.GetValue(output);
            if (chosen == SimulationModel.Packet && (sweep.Count > 0 || outDir is not null))
            {
                Console.Error.WriteLine("shoal sim: --lags and --out need the flow model (--model flow).");
                return 2;
            }
            return chosen == SimulationModel.Packet
                ? RunPacket(loaded, parseResult.GetValue(json))
                : RunFlow(loaded, sweep, outDir, parseResult.GetValue(json));
        });
        return command;
    }

    private static int RunPacket(Scenario scenario, bool json)
    {
        var clock = Stopwatch.StartNew();
        var result = ScenarioRunner.Run(scenario);
        if (json)
        {
            Console.WriteLine(result.ToJson());
            return 0;
        }
        Console.Write(result.ToTable());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"wall-clock",-26}{clock.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private static int RunFlow(Scenario scenario, List<double> sweep, DirectoryInfo? outDir, bool json)
    {
        FlowRunResult result;
        try
        {
            result = FlowSimulator.Run(scenario, progress: Progress(scenario.Name));
        }
        catch (ScenarioTooLargeException e)
        {
            Console.Error.WriteLine($"shoal sim: {e.Message}");
            return 2;
        }
        var points = new List<LagPoint>();
        foreach (var lag in sweep)
        {
            // The scenario's own lag was just run: the same seed would give the same figures again.
            var run = lag == scenario.LagSeconds ? result
                : FlowSimulator.Run(scenario with { LagSeconds = lag }, progress: Progress($"{scenario.Name} at {lag} s lag"));
            var report = run.Result.Report;
            points.Add(new LagPoint(lag, report.Offload ?? double.NaN, report.OffloadBound ?? double.NaN, report.StallSecondsPer30Min ?? double.NaN));
        }
        result = result with { Series = result.Series with { LagSweep = points } };
        if (outDir is not null)
        {
            try
            {
                var written = SeriesCsvWriter.Write(outDir.FullName, result.Series).Concat(SeriesPlotter.Write(outDir.FullName, result.Series));
                foreach (var path in written) Console.Error.WriteLine($"sim: wrote {path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"shoal sim: cannot write to {outDir.FullName}: {e.Message}");
                return 1;
            }
        }
        Console.WriteLine(json ? result.ToJson() : result.ToTable() + LagTable(points));
        return 0;
    }

    private static string LagTable(List<LagPoint> points)
    {
        if (points.Count == 0) return string.Empty;
        var lines = points.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"  lag {p.LagSeconds,5:0.#} s   offload {p.Offload * 100,5:0.0} %   bound {p.OffloadBound * 100,5:0.0} %   stall {p.StallSecondsPer30Min:0.00} s/30 min"));
        return "offload vs lag behind live:\n" + string.Join('\n', lines) + "\n";
    }

    private static List<double> ParseLags(string? text, out string? error)
    {
        error = null;
        var lags = new List<double>();
        if (string.IsNullOrWhiteSpace(text)) return lags;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                error = $"--lags: \"{part}\" is not a non-negative number of seconds.";
                return [];
            }
            lags.Add(value);
        }
        return lags;
    }

    /// <summary>Progress on standard error every 10 % of simulated time, so a long run is never silent.</summary>
    private static Progress<double> Progress(string name)
    {
        var next = 0.1;
        var clock = Stopwatch.StartNew();
        return new Progress<double>(share =>
        {
            if (share + 1e-9 < next) return;
            next = Math.Floor(share * 10 + 1e-9) / 10 + 0.1;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sim: {name} {share * 100:0} % ({clock.Elapsed.TotalSeconds:0} s)"));
        });
    }
}
