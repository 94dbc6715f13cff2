using System.CommandLine;
using Shoal.Cli.Demo;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal demo`: the newcomer's first minute, a whole swarm on loopback carrying a live channel.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "How many viewers (each a `shoal node` process with a player).", DefaultValueFactory = _ => DemoOptions.DefaultNodes };
        var duration = new Option<double>("--duration") { Description = "Seconds to run before printing the QoS table.", DefaultValueFactory = _ => DemoOptions.DefaultDurationSeconds };
        var json = new Option<bool>("--json") { Description = "Print the QoS report as one JSON object on stdout (the progress goes to stderr)." };
        var samples = new Option<string?>("--samples") { Description = "Folder of HLS segments to replay as the live channel (default: samples/hls of this checkout)." };
        var logs = new Option<string?>("--logs") { Description = "Folder for the processes' logs (default: a new temporary folder)." };
        var rate = new Option<double?>("--origin-rate-limit") { Description = "Cap on the origin's total upload in Mbit/s, as a CDN bill would be (default 20; 0 for none)." };

        var command = new Command("demo", "Run a whole swarm on this machine: an origin replaying a live channel, a tracker and N nodes, " +
            "each with a real-time player joining at staggered times; some leave and come back. Shows a live table and ends with the QoS table. " +
            "Ctrl-C stops everything and leaves no process behind.")
        {
            nodes, duration, json, samples, logs, rate,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var nodeCount = parse.GetValue(nodes);
            var seconds = parse.GetValue(duration);
            if (nodeCount is < 1 or > 200)
            {
                Console.Error.WriteLine($"shoal demo: --nodes must be between 1 and 200, not {nodeCount}.");
                return 2;
            }

            if (!(seconds is > 0 and <= 86_400))
            {
                Console.Error.WriteLine($"shoal demo: --duration must be between 0 and 86400 seconds, not {seconds}.");
                return 2;
            }

            var asJson = parse.GetValue(json);
            var rateLimit = parse.GetValue(rate);
            var options = new DemoOptions
            {
                Nodes = nodeCount,
                Duration = TimeSpan.FromSeconds(seconds),
                Json = asJson,
                Samples = parse.GetValue(samples),
                LogDirectory = parse.GetValue(logs),
                OriginRateLimitMbit = rateLimit is 0 ? null : rateLimit ?? new DemoOptions().OriginRateLimitMbit,
            };

            // With --json, stdout carries only the report; people still see progress on stderr.
            var console = asJson
                ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
                : AnsiConsole.Console;
            return await new DemoRun(options, console).RunAsync(cancellationToken);
        });
        return command;
    }
}
