using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shoal.Protocol.Fuzzing;

namespace Shoal.Cli.Commands;

/// <summary>`shoal fuzz protocol`: a long, seeded fuzz run of the wire decoder, for nightly runs and bug hunts.</summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var fuzz = new Command("fuzz", "Feed hostile input to a decoder and report what it did with it.");
        fuzz.Subcommands.Add(CreateProtocol());
        fuzz.Subcommands.Add(FuzzChannelsCommand.Create());
        return fuzz;
    }

    private static Command CreateProtocol()
    {
        var iterations = new Option<long>("--iterations", "-n")
        {
            Description = "How many datagrams to feed the decoder.",
            DefaultValueFactory = _ => DecoderFuzzOptions.DefaultIterations,
        };
        var seed = new Option<int>("--seed", "-s")
        {
            Description = "Seed of the generator; the same seed replays the same datagrams.",
            DefaultValueFactory = _ => DecoderFuzzOptions.DefaultSeed,
        };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object instead of a table." };

        var command = new Command(
            "protocol",
            "Fuzz the RFC 7574 datagram decoder with random, well-formed and mutated datagrams. Prints iterations, " +
            "errors by kind, crashes and hangs (both must be 0) and exits non-zero if any invariant broke.");
        command.Options.Add(iterations);
        command.Options.Add(seed);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(iterations);
            if (count <= 0)
            {
                Console.Error.WriteLine($"shoal fuzz protocol: --iterations must be positive (got {count}).");
                return Task.FromResult(2);
            }

            var options = new DecoderFuzzOptions(count, parseResult.GetValue(seed));
            var asJson = parseResult.GetValue(json);
            var stopwatch = Stopwatch.StartNew();
            DecoderFuzzReport report;
            try
            {
                report = new DecoderFuzzer(options).Run(
                    done => { if (!asJson && done > 0) { Console.Error.Write($"\r{done:N0} / {count:N0}"); } },
                    cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("shoal fuzz protocol: cancelled.");
                return Task.FromResult(130);
            }

            var elapsed = stopwatch.Elapsed.TotalSeconds;
            if (asJson)
            {
                PrintJson(report, elapsed);
            }
            else
            {
                Console.Error.Write('\r');
                PrintTable(report, elapsed);
            }

            return Task.FromResult(report.Passed ? 0 : 1);
        });
        return command;
    }

    private static void PrintTable(DecoderFuzzReport report, double elapsedSeconds)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"{"iterations",-28}{report.Iterations.ToString("N0", c),16}");
        Console.WriteLine($"{"seed",-28}{report.Seed.ToString(c),16}");
        Console.WriteLine($"{"elapsed (s)",-28}{elapsedSeconds.ToString("F1", c),16}");
        Console.WriteLine($"{"datagrams per second",-28}{(report.Iterations / Math.Max(elapsedSeconds, 1e-9)).ToString("N0", c),16}");
        Console.WriteLine($"{"messages decoded",-28}{report.MessagesDecoded.ToString("N0", c),16}");
        Console.WriteLine($"{"clean datagrams",-28}{report.CleanDatagrams.ToString("N0", c),16}");
        Console.WriteLine("errors by kind:");
        foreach (var (kind, n) in report.ErrorsByKind.OrderByDescending(p => p.Value))
        {
            Console.WriteLine($"  {kind,-26}{n.ToString("N0", c),16}");
        }

        Console.WriteLine($"{"crashes",-28}{report.Crashes.ToString("N0", c),16}");
        Console.WriteLine($"{"hangs",-28}{report.Hangs.ToString("N0", c),16}");
        Console.WriteLine($"{"well-formed rejected",-28}{report.ValidDatagramsRejected.ToString("N0", c),16}");
        Console.WriteLine(report.Passed ? "PASS" : $"FAIL: {report.FirstFailure}");
    }

    private static void PrintJson(DecoderFuzzReport report, double elapsedSeconds)
    {
        var figures = new Dictionary<string, object?>
        {
            ["iterations"] = report.Iterations,
            ["seed"] = report.Seed,
            ["elapsed_s"] = Math.Round(elapsedSeconds, 3),
            ["messages_decoded"] = report.MessagesDecoded,
            ["clean_datagrams"] = report.CleanDatagrams,
            ["errors_by_kind"] = report.ErrorsByKind.ToDictionary(p => p.Key.ToString(), p => p.Value),
            ["crashes"] = report.Crashes,
            ["hangs"] = report.Hangs,
            ["well_formed_rejected"] = report.ValidDatagramsRejected,
            ["passed"] = report.Passed,
            ["first_failure"] = report.FirstFailure,
        };
        Console.WriteLine(JsonSerializer.Serialize(figures));
    }
}
