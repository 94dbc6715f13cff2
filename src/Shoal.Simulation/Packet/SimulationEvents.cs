using System.Net;
using Shoal.Engine;

namespace Shoal.Simulation.Packet;

internal enum SimulationEventKind
{
    Hop,
    Deliver,
    Wake,
    Action,
}

/// <summary>Orders events by time, then by the order they were scheduled, so equal times replay identically.</summary>
internal readonly record struct EventKey(long Time, long Sequence) : IComparable<EventKey>
{
    public int CompareTo(EventKey other)
    {
        var byTime = Time.CompareTo(other.Time);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }
}

internal sealed record SimulationEvent(
    SimulationEventKind Kind,
    SimulatedHost? Source,
    SimulatedHost? Target,
    byte[]? Payload,
    long Generation,
    Action? Action);

internal readonly record struct ScheduledEvent(EventKey Key, SimulationEvent Event);

internal sealed class SimulatedHost(int index, IPEndPoint address, IDatagramEngine engine, Link uplink, Link downlink, TimeSpan clockOffset)
{
    public int Index { get; } = index;

    public IPEndPoint Address { get; } = address;

    public IDatagramEngine Engine { get; } = engine;

    public Link Uplink { get; } = uplink;

    public Link Downlink { get; } = downlink;

    public TimeSpan ClockOffset { get; } = clockOffset;

    public Instant? ScheduledWake { get; set; }

    public long WakeGeneration { get; set; }

    public Instant LocalTime(Instant global) => global + ClockOffset;
}
