using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shoal.Simulation.Scenarios;

namespace Shoal.Simulation.Flow;

/// <summary>
/// Runs one scenario on both simulators and compares what users quote (offload, start-up, stalls, lag). The flow model
/// is run with origin bytes bypassing the downlink, the packet simulator's own simplification, so both model the same
/// network; the issue's goal is within 15 % on offload and start-up.
/// </summary>
public sealed record Calibration(ScenarioResult Packet, FlowRunResult Flow)
{
    public const double Goal = 0.15;

    public static Calibration Run(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var packet = ScenarioRunner.Run(scenario);
        var flow = FlowSimulator.Run(scenario with { Flow = scenario.Flow with { OriginViaDownlink = false } });
        return new Calibration(packet, flow);
    }

    /// <summary>The compared figures: name, packet value, flow value, relative difference (flow vs packet), and whether the goal applies.</summary>
    public IReadOnlyList<(string Name, double? Packet, double? Flow, double? Difference, bool Goal)> Rows()
    {
        var p = Packet.Report;
        var f = Flow.Result.Report;
        return
        [
            Row("offload", p.Offload, f.Offload, goal: true),
            Row("start-up p50 (s)", p.StartupSeconds?.P50, f.StartupSeconds?.P50, goal: true),
            Row("start-up p95 (s)", p.StartupSeconds?.P95, f.StartupSeconds?.P95, goal: false),
            Row("stall s / 30 min", p.StallSecondsPer30Min, f.StallSecondsPer30Min, goal: false),
            Row("lag p50 (s)", p.LagBehindLiveSeconds?.P50, f.LagBehindLiveSeconds?.P50, goal: false),
            Row("offload bound", p.OffloadBound, f.OffloadBound, goal: false),
        ];
    }

    /// <summary>True when every figure the goal applies to is within 15 %.</summary>
    public bool WithinGoal => Rows().Where(r => r.Goal && r.Difference is not null).All(r => Math.Abs(r.Difference!.Value) <= Goal);

    public string ToTable()
    {
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture, $"calibration: {Packet.Report.Scenario}, {Packet.Report.Viewers} viewers, {Packet.Report.DurationSeconds:0} s, seed {Packet.Seed}\n");
        table.Append(CultureInfo.InvariantCulture, $"  {"figure",-20}{"packet",12}{"flow",12}{"difference",14}\n");
        foreach (var (name, packet, flow, difference, goal) in Rows())
        {
            var diff = difference is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d * 100:+0.0;-0.0} %") : "n/a";
            table.Append(CultureInfo.InvariantCulture, $"  {name,-20}{Format(packet),12}{Format(flow),12}{diff,14}{(goal ? "  (goal ±15 %)" : string.Empty)}\n");
        }
        table.Append(CultureInfo.InvariantCulture, $"  within the goal: {(WithinGoal ? "yes" : "no")}\n");
        return table.ToString();
    }

    public string ToJson()
    {
        var rows = new JsonArray();
        foreach (var (name, packet, flow, difference, goal) in Rows())
            rows.Add(new JsonObject { ["figure"] = name, ["packet"] = packet, ["flow"] = flow, ["difference"] = difference, ["goal"] = goal });
        var node = new JsonObject
        {
            ["scenario"] = Packet.Report.Scenario,
            ["viewers"] = Packet.Report.Viewers,
            ["duration_s"] = Packet.Report.DurationSeconds,
            ["seed"] = Packet.Seed,
            ["rows"] = rows,
            ["within_goal"] = WithinGoal,
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static (string, double?, double?, double?, bool) Row(string name, double? packet, double? flow, bool goal) =>
        (name, packet, flow, packet is { } p && flow is { } f && Math.Abs(p) > 1e-9 ? (f - p) / Math.Abs(p) : null, goal);

    private static string Format(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
