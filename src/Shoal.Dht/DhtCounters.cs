namespace Shoal.Dht;

/// <summary>What a <see cref="DhtNode"/> has seen and done, for metrics and for tests of hostile input.</summary>
public sealed class DhtCounters
{
    public long DatagramsReceived { get; internal set; }

    public long DroppedOversized { get; internal set; }

    public long DroppedRateLimited { get; internal set; }

    public long DroppedMalformed { get; internal set; }

    public long DroppedUnexpectedResponses { get; internal set; }

    public long QueriesAnswered { get; internal set; }

    public long ErrorsSent { get; internal set; }

    public long QueriesSent { get; internal set; }

    public long QueryTimeouts { get; internal set; }

    public long DroppedSendQueueFull { get; internal set; }
}
