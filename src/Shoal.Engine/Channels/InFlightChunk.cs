using Shoal.Protocol;

namespace Shoal.Engine.Channels;

/// <summary>A DATA message sent and not yet acknowledged: what is needed to resend it and to measure the RTT.</summary>
internal sealed class InFlightChunk
{
    public ChunkSpec Chunks { get; set; }

    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>Transmission sequence of its latest sending: loss detection counts in these.</summary>
    public long Sequence { get; set; }

    public Instant SentAt { get; set; }

    public int SendCount { get; set; }

    /// <summary>Datagram bytes it takes in the congestion window.</summary>
    public int Size { get; set; }

    /// <summary>Declared lost and waiting to be resent (not counted in flight).</summary>
    public bool Lost { get; set; }
}
