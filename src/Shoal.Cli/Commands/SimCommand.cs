using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Shoal.Simulation.Scenarios;

namespace Shoal.Cli.Commands;

/// <summary>`shoal sim SCENARIO`: runs a packet-level scenario (real swarm engines on a simulated network) and prints its QoS.</summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var scenario = new Argument<FileInfo>("scenario")
        {
            Description = "A scenario file (JSON, see scenarios/*.json): viewers, stream, links, origin, churn, polluters, seeks.",
        };
        var seed = new Option<int?>("--seed") { Description = "Replace the scenario's seed: one seed, one exact history." };
        var duration = new Option<double?>("--duration") { Description = "Replace the scenario's simulated duration, in seconds." };
        var lag = new Option<double?>("--lag") { Description = "Live: replace the lag behind the live edge, in seconds." };
        var json = new Option<bool>("--json") { Description = "Print the QoS report as one JSON object (DESIGN.md keys) instead of a table." };
        var command = new Command(
            "sim",
            "Run a packet-level simulation scenario: every viewer runs a real Swarm over a seeded simulated network and origin, " +
            "and the QoS table of DESIGN.md is printed (start-up, stalls, lag behind live, seek, offload and its bound, bytes).")
        {
            scenario, seed, duration, lag, json,
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
            if (loaded.Validate() is { } invalid)
            {
                Console.Error.WriteLine($"shoal sim: {invalid}");
                return 2;
            }
            var clock = Stopwatch.StartNew();
            var result = ScenarioRunner.Run(loaded, parseResult.GetValue(seed));
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(result.ToJson());
            }
            else
            {
                Console.Write(result.ToTable());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"wall-clock",-26}{clock.Elapsed.TotalSeconds:0.0} s"));
            }
            return 0;
        });
        return command;
    }
}
