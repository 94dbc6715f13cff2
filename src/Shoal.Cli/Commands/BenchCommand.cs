using System.CommandLine;

namespace Shoal.Cli.Commands;

/// <summary>`shoal bench`: the parent of the benchmark commands; each subcommand lives in its own Bench*Command.cs.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure Shoal against a baseline in the same run; every benchmark prints a table, or one JSON object with --json.");
        foreach (var subcommand in Subcommands())
        {
            command.Subcommands.Add(subcommand);
        }

        return command;
    }

    private static IEnumerable<Command> Subcommands() =>
    [
        BenchTrackerCommand.Create(),
    ];
}
