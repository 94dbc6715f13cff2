using Shoal.Simulation.Scenarios;
using Shoal.Simulation.Tests.Scenarios;

namespace Shoal.Simulation.Tests.Flow;

/// <summary>The shipped flow-level scenario files load, validate and say where their upload distribution comes from.</summary>
public sealed class ShippedFlowScenarioTests
{
    [Theory]
    [InlineData("live-10k.json", 10_000)]
    [InlineData("live-100k.json", 100_000)]
    [InlineData("vod-10k.json", 10_000)]
    [InlineData("file-10k.json", 10_000)]
    public void The_scenario_file_is_valid_and_documents_its_population(string file, int viewers)
    {
        var scenario = ScenarioFiles.Load(file);
        Assert.Equal(SimulationModel.Flow, scenario.Model);
        Assert.Equal(viewers, scenario.Viewers);
        Assert.NotEmpty(scenario.Flow.UploadClasses);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Flow.UploadSource));
        Assert.True(scenario.Churn is { Fraction: > 0 } || scenario.Flow.Arrivals.SessionMeanSeconds is not null, "every shipped scenario has churn");
    }
}
