using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shoal.Simulation.Fuzzing;

namespace Shoal.Cli.Commands;

/// <summary>`shoal fuzz channels`: a long, seeded fuzz run against live channel tables (the test suite runs 300,000 datagrams).</summary>
internal static class FuzzChannelsCommand
{
    public static Command Create()
    {
        var iterations = new Option<long>("--iterations", "-n")
        {
            Description = "How many datagrams to feed the two live channel tables.",
            DefaultValueFactory = _ => ChannelFuzzOptions.DefaultIterations,
        };
        var seed = new Option<int>("--seed", "-s")
        {
            Description = "Seed of the generator and the simulated network; the same seed replays the same run.",
            DefaultValueFactory = _ => ChannelFuzzOptions.DefaultSeed,
        };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object instead of a table." };
        var command = new Command(
            "channels",
            "Fuzz live channel tables (an open channel each side) with random and mutated datagrams aimed past routing. " +
            "Prints crashes and hangs (both must be 0) and whether the tables still serve a new peer; exits non-zero if not.")
        {
            iterations,
            seed,
            json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(iterations);
            if (count <= 0)
            {
                Console.Error.WriteLine($"shoal fuzz channels: --iterations must be positive (got {count}).");
                return Task.FromResult(2);
            }

            var asJson = parseResult.GetValue(json);
            var stopwatch = Stopwatch.StartNew();
            var report = new ChannelFuzzer(new ChannelFuzzOptions(count, parseResult.GetValue(seed))).Run(
                done => { if (!asJson && done > 0) { Console.Error.Write($"\r{done:N0} / {count:N0}"); } },
                cancellationToken);
            var elapsed = stopwatch.Elapsed.TotalSeconds;
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["iterations"] = report.Iterations,
                    ["seed"] = report.Seed,
                    ["elapsed_s"] = Math.Round(elapsed, 3),
                    ["crashes"] = report.Crashes,
                    ["hangs"] = report.Hangs,
                    ["malformed"] = report.Malformed,
                    ["unknown_channel"] = report.UnknownChannel,
                    ["refused"] = report.Refused,
                    ["channels_reopened"] = report.ChannelsReopened,
                    ["still_serves"] = report.StillServes,
                    ["passed"] = report.Passed,
                    ["first_failure"] = report.FirstFailure,
                }));
            }
            else
            {
                var c = CultureInfo.InvariantCulture;
                Console.Error.Write('\r');
                Console.WriteLine($"{"iterations",-28}{report.Iterations.ToString("N0", c),16}");
                Console.WriteLine($"{"seed",-28}{report.Seed.ToString(c),16}");
                Console.WriteLine($"{"elapsed (s)",-28}{elapsed.ToString("F1", c),16}");
                Console.WriteLine($"{"malformed",-28}{report.Malformed.ToString("N0", c),16}");
                Console.WriteLine($"{"unknown channel",-28}{report.UnknownChannel.ToString("N0", c),16}");
                Console.WriteLine($"{"refused handshakes",-28}{report.Refused.ToString("N0", c),16}");
                Console.WriteLine($"{"channels reopened",-28}{report.ChannelsReopened.ToString("N0", c),16}");
                Console.WriteLine($"{"crashes",-28}{report.Crashes.ToString("N0", c),16}");
                Console.WriteLine($"{"hangs",-28}{report.Hangs.ToString("N0", c),16}");
                Console.WriteLine($"{"still serves a new peer",-28}{(report.StillServes ? "yes" : "NO"),16}");
                Console.WriteLine(report.Passed ? "PASS" : $"FAIL: {report.FirstFailure}");
            }

            return Task.FromResult(report.Passed ? 0 : 1);
        });
        return command;
    }
}
