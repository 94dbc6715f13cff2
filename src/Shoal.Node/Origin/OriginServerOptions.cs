using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Shoal.Node.Origin;

/// <summary>Settings of the demo origin (<c>shoal origin</c>).</summary>
public sealed record OriginServerOptions
{
    public required string Directory { get; init; }

    public string Host { get; init; } = DefaultHost;

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; }

    /// <summary>Server-wide limit in bits per second over all responses; null for none.</summary>
    public double? RateLimitBitsPerSecond { get; init; }

    /// <summary>How much the rate limiter lets through at once after an idle spell.</summary>
    public int RateLimitBurstBytes { get; init; } = DefaultBurstBytes;

    /// <summary>Bodies are paced in slices of this size, so one large file cannot hog the bucket.</summary>
    public int SliceBytes { get; init; } = DefaultSliceBytes;

    /// <summary>Replay the folder's HLS segments as a live channel under <see cref="LivePathPrefix"/>.</summary>
    public bool Live { get; init; }

    public LiveChannelOptions LiveChannel { get; init; } = new();

    /// <summary>An FLV file replayed as an endless HTTP-FLV live stream at <see cref="LivePathPrefix"/>/stream.flv.</summary>
    public string? LiveFlvFile { get; init; }

    public string LivePathPrefix { get; init; } = DefaultLivePathPrefix;

    /// <summary>Http1 by default; Http2 alone gives cleartext HTTP/2 with prior knowledge (h2c).</summary>
    public HttpProtocols Protocols { get; init; } = HttpProtocols.Http1;

    public bool LogRequests { get; init; }

    /// <summary>How long stopping waits for open responses (a live player's long download) before cutting them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(DefaultShutdownSeconds);

    public const string DefaultHost = "127.0.0.1";
    public const int DefaultBurstBytes = 64 * 1024;
    public const int DefaultSliceBytes = 16 * 1024;
    public const string DefaultLivePathPrefix = "/live";
    public const int DefaultShutdownSeconds = 2;
}
