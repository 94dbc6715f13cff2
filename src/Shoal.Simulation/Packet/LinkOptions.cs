namespace Shoal.Simulation.Packet;

/// <summary>One direction of a simulated link: its rate, buffer, propagation delay and the faults it injects.</summary>
public sealed record LinkOptions
{
    /// <summary>Drain rate of the link's queue; 0 means infinitely fast (no serialisation delay, no queue).</summary>
    public long BitsPerSecond { get; init; }

    /// <summary>One-way propagation delay added after the queue.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Bytes the queue holds; a datagram that does not fit is tail-dropped.</summary>
    public int BufferBytes { get; init; } = 256 * 1024;

    /// <summary>Probability that a datagram is lost on entry, independent of the queue.</summary>
    public double LossRate { get; init; }

    /// <summary>Extra delay drawn uniformly from [0, Jitter] per datagram: large values reorder datagrams.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Probability that a datagram is delivered twice.</summary>
    public double DuplicateRate { get; init; }

    /// <summary>Probability that one bit of a datagram is flipped.</summary>
    public double CorruptRate { get; init; }

    /// <summary>An ideal link: no delay, no queue, no faults.</summary>
    public static LinkOptions Ideal { get; } = new();
}
