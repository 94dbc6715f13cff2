using System.CommandLine;

namespace Shoal.Cli.Commands;

<<<<<<< HEAD
/// <summary>`shoal bench …`: scenario benchmarks that print a table (or `--json`) with a baseline measured in the same run.</summary>
internal static class BenchCommand
{
    // One line per benchmark; each lives in Commands/Bench<Name>Command.cs. Branches that add a benchmark add a line
    // here and nothing else, so their merges do not clash.
    private static readonly Func<Command>[] Benchmarks =
    [
        BenchTransportCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("bench", "Measure a part of Shoal against a baseline taken in the same run (table, or one JSON object with --json).");
        foreach (var create in Benchmarks)
        {
            command.Subcommands.Add(create());
=======
/// <summary>`shoal bench`: the parent of the benchmark commands; each subcommand lives in its own Bench*Command.cs.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure Shoal against a baseline in the same run; every benchmark prints a table, or one JSON object with --json.");
        foreach (var subcommand in Subcommands())
        {
            command.Subcommands.Add(subcommand);
>>>>>>> tracker
        }

        return command;
    }
<<<<<<< HEAD
=======

    private static IEnumerable<Command> Subcommands() =>
    [
        BenchTrackerCommand.Create(),
    ];
>>>>>>> tracker
}
