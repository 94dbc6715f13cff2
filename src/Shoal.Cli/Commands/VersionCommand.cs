using System.CommandLine;
using System.Reflection;

namespace Shoal.Cli.Commands;

/// <summary>`shoal version`: which build this is, so a bug report can name it.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Shoal's version and the .NET runtime it runs on.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"shoal {version} on .NET {Environment.Version}");
            return 0;
        });
        return command;
    }
}
