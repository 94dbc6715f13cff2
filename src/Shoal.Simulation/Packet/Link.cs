using Shoal.Engine;

namespace Shoal.Simulation.Packet;

/// <summary>
/// One direction of a simulated link: a FIFO that drains at the link's rate with a finite buffer (tail drop),
/// then a propagation delay with optional jitter, loss, duplication and corruption. Several hosts may share one
/// link instance, which is how a shared bottleneck is built.
/// </summary>
public sealed class Link
{
    private Instant _busyUntil;
    private long _queueDelaySumMicroseconds;
    private long _queueDelaySamples;

    public Link(LinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    public LinkOptions Options { get; }

    /// <summary>A link that is down (a partition, a pulled cable) drops everything offered to it.</summary>
    public bool IsDown { get; set; }

    /// <summary>Datagrams dropped while the link was down.</summary>
    public long DroppedWhileDown { get; private set; }

    /// <summary>Datagrams that entered the queue.</summary>
    public long Accepted { get; private set; }

    /// <summary>Bytes that entered the queue.</summary>
    public long AcceptedBytes { get; private set; }

    /// <summary>Datagrams dropped because the buffer was full.</summary>
    public long TailDropped { get; private set; }

    /// <summary>Datagrams lost at random.</summary>
    public long RandomlyLost { get; private set; }

    /// <summary>The largest queueing delay since the last <see cref="ResetStatistics"/>.</summary>
    public TimeSpan MaxQueueDelay { get; private set; }

    /// <summary>The mean queueing delay of datagrams accepted since the last <see cref="ResetStatistics"/>.</summary>
    public TimeSpan MeanQueueDelay =>
        _queueDelaySamples == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(_queueDelaySumMicroseconds / _queueDelaySamples);

    /// <summary>Starts a new measurement window for the queueing-delay and byte counters.</summary>
    public void ResetStatistics()
    {
        _queueDelaySumMicroseconds = 0;
        _queueDelaySamples = 0;
        MaxQueueDelay = TimeSpan.Zero;
        Accepted = 0;
        AcceptedBytes = 0;
        TailDropped = 0;
        RandomlyLost = 0;
    }

    /// <summary>Offers a datagram to the link at <paramref name="now"/>; returns when it leaves the far end, or null if dropped.</summary>
    internal Instant? Offer(Instant now, int size, Random random)
    {
        if (IsDown)
        {
            DroppedWhileDown++;
            return null;
        }

        if (Options.LossRate > 0 && random.NextDouble() < Options.LossRate)
        {
            RandomlyLost++;
            return null;
        }

        var start = now;
        if (Options.BitsPerSecond > 0)
        {
            var backlog = _busyUntil > now ? _busyUntil - now : TimeSpan.Zero;
            var queuedBytes = Instant.ToMicroseconds(backlog) * Options.BitsPerSecond / 8_000_000;
            if (queuedBytes + size > Options.BufferBytes)
            {
                TailDropped++;
                return null;
            }

            start = _busyUntil > now ? _busyUntil : now;
            var serialisation = TimeSpan.FromMicroseconds(Math.Max(1, size * 8L * 1_000_000 / Options.BitsPerSecond));
            _busyUntil = start + serialisation;
            var delay = start - now;
            _queueDelaySumMicroseconds += Instant.ToMicroseconds(delay);
            _queueDelaySamples++;
            if (delay > MaxQueueDelay)
            {
                MaxQueueDelay = delay;
            }

            start = _busyUntil;
        }

        Accepted++;
        AcceptedBytes += size;
        var arrival = start + Options.Delay;
        if (Options.Jitter > TimeSpan.Zero)
        {
            arrival += TimeSpan.FromMicroseconds(random.NextInt64(Instant.ToMicroseconds(Options.Jitter) + 1));
        }

        return arrival;
    }
}
