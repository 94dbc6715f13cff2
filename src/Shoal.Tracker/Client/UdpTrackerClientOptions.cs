namespace Shoal.Tracker.Client;

/// <summary>Timing of the BEP 15 client.</summary>
public sealed record UdpTrackerClientOptions
{
    /// <summary>BEP 15: wait 15 · 2^n seconds for a response before retransmitting (n = attempt number).</summary>
    public TimeSpan BaseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>BEP 15: give up after n reaches 8, i.e. nine attempts.</summary>
    public int MaxAttempts { get; init; } = 9;

    /// <summary>BEP 15: a client may use a connection id until one minute after it received it.</summary>
    public TimeSpan ConnectionIdLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The key field of announces (BEP 15: lets the tracker recognise the client across address changes).</summary>
    public uint Key { get; init; }
}
