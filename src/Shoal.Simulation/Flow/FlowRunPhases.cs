using System.Globalization;
using System.Text.Json.Nodes;

namespace Shoal.Simulation.Flow;

/// <summary>
/// Where a flow run's wall time went, phase by phase of its steps, and how many planning passes decided nothing: what
/// to look at before making the simulator faster. Part of the network's step, part of the arrivals and all of the
/// planning run on every thread; <see cref="SharedSeconds"/> and <see cref="HelperBusySeconds"/> tell how much of the
/// wall time had the helpers working, and how busy they were.
/// </summary>
public sealed record FlowRunPhases
{
    /// <summary>Moving the bytes of every flow (the fluid network's step).</summary>
    public double NetworkSeconds { get; init; }

    /// <summary>Handling the flows that finished: held pieces, the request book, players that start or resume.</summary>
    public double ArrivalsSeconds { get; init; }

    /// <summary>Scheduled events: joins, leaves, maintenance (membership, rechoke), segment ends, samples.</summary>
    public double EventsSeconds { get; init; }

    /// <summary>The schedulers' passes of the nodes due in a step, in parallel.</summary>
    public double PlanningSeconds { get; init; }

    /// <summary>Turning those passes' plans into requests, cancels and origin ranges, in node order.</summary>
    public double ApplyingSeconds { get; init; }

    /// <summary>Wall time with the helper threads sharing the work (inside any phase); the rest of the run is on one thread.</summary>
    public double SharedSeconds { get; init; }

    /// <summary>What the helper threads spent at work, summed over them (at most their number × <see cref="SharedSeconds"/>).</summary>
    public double HelperBusySeconds { get; init; }

    public long Passes { get; init; }

    /// <summary>Passes whose plan asked for nothing, cancelled nothing and sent nothing to the origin.</summary>
    public long EmptyPasses { get; init; }

    public JsonObject ToJson() => new()
    {
        ["network_s"] = Math.Round(NetworkSeconds, 2),
        ["arrivals_s"] = Math.Round(ArrivalsSeconds, 2),
        ["events_s"] = Math.Round(EventsSeconds, 2),
        ["planning_s"] = Math.Round(PlanningSeconds, 2),
        ["applying_s"] = Math.Round(ApplyingSeconds, 2),
        ["shared_s"] = Math.Round(SharedSeconds, 2),
        ["helper_busy_s"] = Math.Round(HelperBusySeconds, 2),
        ["passes"] = Passes,
        ["empty_passes"] = EmptyPasses,
    };

    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"network {NetworkSeconds:0.0} s, arrivals {ArrivalsSeconds:0.0} s, events {EventsSeconds:0.0} s, planning {PlanningSeconds:0.0} s, applying {ApplyingSeconds:0.0} s; {SharedSeconds:0.0} s shared with helpers (busy {HelperBusySeconds:0.0} s); {Passes:N0} passes, {(Passes > 0 ? 100.0 * EmptyPasses / Passes : 0):0} % empty");
}
