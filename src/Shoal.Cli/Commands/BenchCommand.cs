using System.CommandLine;

namespace Shoal.Cli.Commands;

/// <summary>`shoal bench …`: scenario benchmarks that print a table (or `--json`) with a baseline measured in the same run.</summary>
internal static class BenchCommand
{
    // One line per benchmark; each lives in Commands/Bench<Name>Command.cs.
    private static readonly Func<Command>[] Benchmarks =
    [
        BenchTransportCommand.Create,
        BenchTrackerCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("bench", "Measure a part of Shoal against a baseline taken in the same run (table, or one JSON object with --json).");
        foreach (var create in Benchmarks)
        {
            command.Subcommands.Add(create());
        }

        return command;
    }
}
