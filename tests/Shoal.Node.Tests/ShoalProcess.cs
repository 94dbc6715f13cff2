using System.Diagnostics;

namespace Shoal.Node.Tests;

/// <summary>Runs the real `shoal` command (built alongside this test project) as a child process.</summary>
internal static class ShoalProcess
{
    /// <summary>The shoal.dll of the same configuration as this test assembly.</summary>
    public static string Dll()
    {
        var baseDirectory = AppContext.BaseDirectory;
        var dir = new DirectoryInfo(baseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shoal.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException($"no Shoal.slnx above {baseDirectory}");
        }

        // .../tests/Shoal.Node.Tests/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(baseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(dir.FullName, "src", "Shoal.Cli", "bin", configuration, "net10.0", "shoal.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build src/Shoal.Cli ({configuration}) first", dll);
    }

    public static Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        return Process.Start(info) ?? throw new InvalidOperationException("could not start shoal");
    }
}
