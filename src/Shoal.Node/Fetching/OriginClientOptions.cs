namespace Shoal.Node.Fetching;

/// <summary>How the node talks to origins: retries, back-off and time-outs.</summary>
public sealed record OriginClientOptions
{
    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(DefaultInitialBackoffMs);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(DefaultMaxBackoffSeconds);

    /// <summary>From sending the request to having the response headers.</summary>
    public TimeSpan HeadersTimeout { get; init; } = TimeSpan.FromSeconds(DefaultHeadersTimeoutSeconds);

    /// <summary>Longest wait for the next body bytes before the transfer is declared stalled.</summary>
    public TimeSpan BodyIdleTimeout { get; init; } = TimeSpan.FromSeconds(DefaultBodyIdleTimeoutSeconds);

    /// <summary>Ask for HTTP/2 (ALPN on https; with <see cref="Http2PriorKnowledge"/> also cleartext h2c).</summary>
    public bool PreferHttp2 { get; init; } = true;

    /// <summary>Speak HTTP/2 without negotiation, for cleartext origins known to support it.</summary>
    public bool Http2PriorKnowledge { get; init; }

    public string UserAgent { get; init; } = "shoal-node";

    public const int DefaultMaxAttempts = 4;
    public const int DefaultInitialBackoffMs = 200;
    public const int DefaultMaxBackoffSeconds = 5;
    public const int DefaultHeadersTimeoutSeconds = 10;
    public const int DefaultBodyIdleTimeoutSeconds = 15;
}
