using System.Net;
using Shoal.Node.Storage;

namespace Shoal.Node.Downloads;

/// <summary>What <c>shoal get</c> is configured with.</summary>
public sealed record FileDownloadOptions
{
    /// <summary>The file's origin URL (http or https); it names the resource (its RID) for every node.</summary>
    public required Uri Url { get; init; }

    /// <summary>The tracker's HTTP API (mapping service, signed manifests, announces); null downloads from the origin only.</summary>
    public Uri? TrackerHttp { get; init; }

    /// <summary>A BEP 15 tracker (udp://HOST:PORT) to find peers with instead of the HTTP API's announce; null for the latter.</summary>
    public Uri? UdpTracker { get; init; }

    /// <summary>Where the swarm's UDP socket listens (port 0: any free port).</summary>
    public IPEndPoint UdpBind { get; init; } = new(IPAddress.Any, 0);

    /// <summary>Upload limit towards peers in bytes per second; null for the engine's default.</summary>
    public double? UploadBytesPerSecond { get; init; }

    /// <summary>The store the direct fetches go through (memory, and a disk cache a re-run resumes from).</summary>
    public ContentStoreOptions Store { get; init; } = new() { MemoryCapacityBytes = 64L << 20 };

    /// <summary>
    /// Slice size used until the manifest says how the file is cut; the mapping service's default, so the slices match
    /// it and the swarm can carry every one of them.
    /// </summary>
    public long SegmentBytes { get; init; } = Core.Fragmentation.FragmentationOptions.DefaultSegmentSize;

    /// <summary>
    /// How far ahead of its deadline a slice is asked for (<see cref="Swarming.SwarmHostOptions.FileLead"/>): longer than
    /// a player's, because nobody watches a download: a slice a peer holds is worth a few seconds' wait on a busy machine
    /// rather than a copy from the origin.
    /// </summary>
    public TimeSpan FileLead { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How long a slice waits for the swarm before the rest comes from the origin directly.</summary>
    public TimeSpan SwarmSegmentTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
