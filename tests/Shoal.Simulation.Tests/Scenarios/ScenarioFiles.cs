using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Tests.Scenarios;

/// <summary>Finds and loads the shipped scenario files (scenarios/ at the repository root).</summary>
internal static class ScenarioFiles
{
    public static Scenario Load(string name)
    {
        var path = Path.Combine(Root(), "scenarios", name);
        Assert.True(Scenario.TryLoad(path, out var scenario, out var error), error);
        return scenario;
    }

    /// <summary>The replay command printed when a scenario check fails.</summary>
    public static string Replay(Scenario scenario, string file) =>
        $"replay: shoal sim scenarios/{file} --seed {scenario.Seed} --duration {scenario.DurationSeconds}";

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "scenarios")) && File.Exists(Path.Combine(dir.FullName, "Shoal.slnx")))
                return dir.FullName;
        throw new DirectoryNotFoundException("scenarios/ not found above the test binaries.");
    }
}
