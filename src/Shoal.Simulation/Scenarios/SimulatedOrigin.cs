using Shoal.Engine;
using Shoal.Engine.Swarming;

namespace Shoal.Simulation.Scenarios;

/// <summary>
/// The scenario's origin: answers HTTP range requests from <see cref="ScenarioContent"/> through one shared pipe of
/// the origin's capacity (requests served in arrival order), after its latency; during an outage every request fails.
/// Origin bytes do not cross the viewers' simulated access links (a simplification the report states).
/// </summary>
internal sealed class SimulatedOrigin(ScenarioContent content, OriginSpec spec)
{
    private Instant _busyUntil;

    public long BytesServed { get; private set; }

    public long Requests { get; private set; }

    public long Failures { get; private set; }

    /// <summary>When the request completes and with what.</summary>
    public (Instant At, OriginResponse Response) Serve(Instant now, OriginRequest request)
    {
        Requests++;
        var seconds = now.TotalSeconds;
        var body = content.Body(request.Uri);
        var down = spec.Outages.Any(o => seconds >= o.StartSeconds && seconds < o.StartSeconds + o.DurationSeconds);
        if (down || body is null || request.Offset < 0 || request.Offset + request.Length > body.Length)
        {
            Failures++;
            return (now + TimeSpan.FromMilliseconds(spec.FailureMs), new OriginResponse(request.Id, false, ReadOnlyMemory<byte>.Empty));
        }
        var start = _busyUntil > now ? _busyUntil : now;
        _busyUntil = start + TimeSpan.FromSeconds(request.Length * 8 / (spec.CapacityKbps * 1000));
        BytesServed += request.Length;
        var at = _busyUntil + TimeSpan.FromMilliseconds(spec.LatencyMs);
        return (at, new OriginResponse(request.Id, true, body.AsMemory((int)request.Offset, (int)request.Length)));
    }
}
