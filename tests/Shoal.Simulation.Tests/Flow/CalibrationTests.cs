using Shoal.Simulation.Flow;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Tests.Flow;

/// <summary>The calibration runs both simulators on one scenario and compares like with like.</summary>
public sealed class CalibrationTests
{
    [Fact]
    public void Both_simulators_run_the_same_scenario_and_the_differences_are_theirs()
    {
        var scenario = new Scenario
        {
            Name = "calibration-small",
            Kind = ScenarioKind.Live,
            Viewers = 8,
            DurationSeconds = 30,
            StreamKbps = 800,
            LagSeconds = 8,
            JoinSpreadSeconds = 4,
            Link = new LinkSpec { UpKbps = 1500, DownKbps = 10_000, RttMs = 30 },
            Seed = 2,
        };
        var calibration = Calibration.Run(scenario);
        Assert.Equal("calibration-small", calibration.Packet.Report.Scenario);
        Assert.Equal("calibration-small", calibration.Flow.Result.Report.Scenario);
        // Both count the same audience: every viewer started once.
        Assert.Equal(8, calibration.Flow.Startups);
        var offload = calibration.Rows().Single(r => r.Name == "offload");
        Assert.Equal(calibration.Packet.Report.Offload, offload.Packet);
        Assert.Equal(calibration.Flow.Result.Report.Offload, offload.Flow);
        Assert.Equal((offload.Flow!.Value - offload.Packet!.Value) / Math.Abs(offload.Packet.Value), offload.Difference!.Value, 9);
        var goalRows = calibration.Rows().Where(r => r.Goal && r.Difference is not null).ToList();
        Assert.Equal(goalRows.All(r => Math.Abs(r.Difference!.Value) <= Calibration.Goal), calibration.WithinGoal);
        Assert.Contains("within the goal", calibration.ToTable(), StringComparison.Ordinal);
    }
}
