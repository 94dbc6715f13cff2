using System.Net;
using Shoal.Engine;

namespace Shoal.Simulation.Packet;

/// <summary>
/// A deterministic packet-level network: engine objects (<see cref="IDatagramEngine"/>) attached at fake addresses,
/// an event queue ordered by (time, sequence), a simulated clock that jumps to the next event, and links that queue,
/// delay, drop, reorder, duplicate and corrupt datagrams. One seed gives one exact history, summarised by
/// <see cref="TraceHash"/>.
/// </summary>
/// <remarks>
/// A datagram from host A to host B crosses A's uplink, then B's downlink (quinn's test <c>Pair</c>, generalised).
/// After every input to a host, the network drains the host's <see cref="IDatagramEngine.TryPollTransmit"/> and
/// re-arms its wake-up, exactly as the real UDP driver does. A host may run on a clock offset from the network's,
/// which is how one-way-delay code is shown to be indifferent to unsynchronised clocks.
/// </remarks>
public sealed class PacketNetwork
{
    /// <summary>The largest datagram a host may emit (an Ethernet MTU's worth of UDP payload).</summary>
    public const int MaxDatagramSize = 1500;

    private const int MaxEventsAtOneInstant = 1_000_000;
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    private readonly PriorityQueue<ScheduledEvent, EventKey> _events = new();
    private readonly Dictionary<IPEndPoint, SimulatedHost> _hosts = [];
    private readonly List<SimulatedHost> _hostList = [];
    private readonly byte[] _transmitBuffer = new byte[MaxDatagramSize];
    private long _sequence;
    private int _eventsAtNow;
    private ulong _trace = FnvOffset;

    public PacketNetwork(int seed)
    {
        Seed = seed;
        Random = new Random(seed);
    }

    /// <summary>The seed this history came from: print it when a test fails so the run can be replayed.</summary>
    public int Seed { get; }

    /// <summary>The network's random source, owned by the simulation; links draw faults from it.</summary>
    public Random Random { get; }

    /// <summary>The simulated clock.</summary>
    public Instant Now { get; private set; }

    /// <summary>A running FNV-1a hash of every delivery (time, endpoints, bytes): equal for equal histories.</summary>
    public ulong TraceHash => _trace;

    public long DatagramsSent { get; private set; }

    public long DatagramsDelivered { get; private set; }

    public long DatagramsDropped { get; private set; }

    public long DatagramsDuplicated { get; private set; }

    public long DatagramsCorrupted { get; private set; }

    /// <summary>Attaches an engine at <paramref name="address"/> behind the given links (which may be shared).</summary>
    public void AddHost(IPEndPoint address, IDatagramEngine engine, Link uplink, Link downlink, TimeSpan clockOffset = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(uplink);
        ArgumentNullException.ThrowIfNull(downlink);
        var host = new SimulatedHost(_hostList.Count, address, engine, uplink, downlink, clockOffset);
        _hosts.Add(address, host);
        _hostList.Add(host);
    }

    /// <summary>The links a host was attached with, to take them down or inspect their queues.</summary>
    public (Link Uplink, Link Downlink) LinksOf(IPEndPoint address)
    {
        var host = _hosts[address];
        return (host.Uplink, host.Downlink);
    }

    /// <summary>A fake, unique address for host number <paramref name="index"/>.</summary>
    public static IPEndPoint AddressOf(int index) =>
        new(new IPAddress([10, (byte)(index >> 16), (byte)(index >> 8), (byte)index]), 6778);

    /// <summary>Runs <paramref name="action"/> at <paramref name="at"/> on the simulated clock (then drains every host).</summary>
    public void Schedule(Instant at, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Push(at, new SimulationEvent(SimulationEventKind.Action, null, null, null, 0, action));
    }

    /// <summary>Processes every event up to and including <paramref name="until"/>, then sets the clock to it.</summary>
    public void RunUntil(Instant until)
    {
        FlushAll();
        while (_events.TryPeek(out _, out var key) && key.Time <= until.Microseconds)
        {
            Step();
        }

        if (until > Now)
        {
            Now = until;
        }
    }

    /// <summary>Runs until <paramref name="done"/> holds (checked after every event) or the clock passes <paramref name="deadline"/>.</summary>
    public bool RunUntil(Func<bool> done, Instant deadline)
    {
        ArgumentNullException.ThrowIfNull(done);
        FlushAll();
        while (!done())
        {
            if (!_events.TryPeek(out _, out var key) || key.Time > deadline.Microseconds)
            {
                if (deadline > Now)
                {
                    Now = deadline;
                }

                return done();
            }

            Step();
        }

        return true;
    }

    /// <summary>Drains every host's pending transmissions and re-arms its timer (after a test poked an engine directly).</summary>
    public void FlushAll()
    {
        foreach (var host in _hostList)
        {
            Flush(host);
        }
    }

    private void Step()
    {
        var item = _events.Dequeue();
        var time = new Instant(item.Key.Time);
        _eventsAtNow = time == Now ? _eventsAtNow + 1 : 0;
        if (_eventsAtNow > MaxEventsAtOneInstant)
        {
            throw new InvalidOperationException($"Livelock: over {MaxEventsAtOneInstant} events at {Now} (seed {Seed}).");
        }

        Now = time;
        var e = item.Event;
        switch (e.Kind)
        {
            case SimulationEventKind.Hop:
                var arrival = e.Target!.Downlink.Offer(Now, e.Payload!.Length, Random);
                if (arrival is { } at)
                {
                    Push(at, e with { Kind = SimulationEventKind.Deliver });
                }
                else
                {
                    DatagramsDropped++;
                }

                break;
            case SimulationEventKind.Deliver:
                var target = e.Target!;
                DatagramsDelivered++;
                Mix(Now.Microseconds);
                Mix(e.Source!.Index);
                Mix(target.Index);
                MixBytes(e.Payload!);
                target.Engine.Receive(target.LocalTime(Now), e.Source.Address, e.Payload);
                Flush(target);
                break;
            case SimulationEventKind.Wake:
                var host = e.Target!;
                if (e.Generation == host.WakeGeneration)
                {
                    host.ScheduledWake = null;
                    host.Engine.WakeUp(host.LocalTime(Now));
                    Flush(host);
                }

                break;
            case SimulationEventKind.Action:
                e.Action?.Invoke();
                FlushAll();
                break;
        }
    }

    private void Flush(SimulatedHost host)
    {
        var now = host.LocalTime(Now);
        while (host.Engine.TryPollTransmit(now, _transmitBuffer, out var to, out var length))
        {
            DatagramsSent++;
            if (length <= 0 || length > MaxDatagramSize)
            {
                throw new InvalidOperationException($"Host {host.Address} emitted a datagram of {length} bytes (seed {Seed}).");
            }

            if (!_hosts.TryGetValue(to, out var target))
            {
                DatagramsDropped++;
                continue;
            }

            var copies = Random.NextDouble() < host.Uplink.Options.DuplicateRate ? 2 : 1;
            if (copies == 2)
            {
                DatagramsDuplicated++;
            }

            for (var i = 0; i < copies; i++)
            {
                var payload = _transmitBuffer.AsSpan(0, length).ToArray();
                if (host.Uplink.Options.CorruptRate > 0 && Random.NextDouble() < host.Uplink.Options.CorruptRate)
                {
                    payload[Random.Next(payload.Length)] ^= (byte)(1 << Random.Next(8));
                    DatagramsCorrupted++;
                }

                var arrival = host.Uplink.Offer(Now, length, Random);
                if (arrival is { } at)
                {
                    Push(at, new SimulationEvent(SimulationEventKind.Hop, host, target, payload, 0, null));
                }
                else
                {
                    DatagramsDropped++;
                }
            }
        }

        var wake = host.Engine.NextWakeUp;
        if (wake is { } local)
        {
            var global = local == Instant.MaxValue ? local : local - host.ClockOffset;
            if (global < Now)
            {
                global = Now;
            }

            if (host.ScheduledWake != global && global != Instant.MaxValue)
            {
                host.ScheduledWake = global;
                host.WakeGeneration++;
                Push(global, new SimulationEvent(SimulationEventKind.Wake, null, host, null, host.WakeGeneration, null));
            }
        }
        else if (host.ScheduledWake is not null)
        {
            host.ScheduledWake = null;
            host.WakeGeneration++;
        }
    }

    private void Push(Instant at, SimulationEvent e) => _events.Enqueue(new ScheduledEvent(new EventKey(at.Microseconds, _sequence), e), new EventKey(at.Microseconds, _sequence++));

    private void Mix(long value)
    {
        for (var i = 0; i < 8; i++)
        {
            _trace = (_trace ^ (byte)(value >> (8 * i))) * FnvPrime;
        }
    }

    private void MixBytes(ReadOnlySpan<byte> bytes)
    {
        Mix(bytes.Length);
        foreach (var b in bytes)
        {
            _trace = (_trace ^ b) * FnvPrime;
        }
    }
}
