using System.Globalization;
using System.Text;

namespace Shoal.Node.Gateway;

/// <summary>The node's counters, one metric name per fact (CONVENTIONS.md §8), written in the Prometheus text format.</summary>
public sealed class NodeMetrics
{
    private long _bytesToPlayers;
    private long _bytesFromOrigin;
    private long _bytesFromPeers;
    private long _bytesFromStore;
    private long _requests;
    private long _badRequests;
    private long _originErrors;
    private long _segmentsServed;
    private long _playlistsServed;

    public long BytesToPlayers => Interlocked.Read(ref _bytesToPlayers);

    /// <summary>Bytes from origins: the gateway's direct fetches plus the swarms' origin ranges.</summary>
    public long BytesFromOrigin => Interlocked.Read(ref _bytesFromOrigin) + (Swarms?.Invoke().FromOrigin ?? 0);

    public long BytesFromPeers => Interlocked.Read(ref _bytesFromPeers) + (Swarms?.Invoke().FromPeers ?? 0);

    public long BytesUploaded => Swarms?.Invoke().Uploaded ?? 0;

    /// <summary>Of the bytes delivered to players, those the swarms had from peers.</summary>
    public long DeliveredFromPeers => Swarms?.Invoke().DeliveredFromPeers ?? 0;

    /// <summary>The swarms' own counters, summed, when the node runs swarms.</summary>
    public Func<SwarmTotals>? Swarms { get; set; }

    public long BytesFromStore => Interlocked.Read(ref _bytesFromStore);

    public long Requests => Interlocked.Read(ref _requests);

    public long BadRequests => Interlocked.Read(ref _badRequests);

    public long OriginErrors => Interlocked.Read(ref _originErrors);

    public long SegmentsServed => Interlocked.Read(ref _segmentsServed);

    public long PlaylistsServed => Interlocked.Read(ref _playlistsServed);

    /// <summary>DESIGN.md: offload = 1 − origin bytes / bytes delivered to players; null before anything was delivered.</summary>
    public double? Offload
    {
        get
        {
            var delivered = BytesToPlayers;
            return delivered == 0 ? null : Math.Max(0, 1 - ((double)BytesFromOrigin / delivered));
        }
    }

    public void AddBytesToPlayers(long n) => Interlocked.Add(ref _bytesToPlayers, n);

    public void AddBytesFromOrigin(long n) => Interlocked.Add(ref _bytesFromOrigin, n);

    public void AddBytesFromPeers(long n) => Interlocked.Add(ref _bytesFromPeers, n);

    public void AddBytesFromStore(long n) => Interlocked.Add(ref _bytesFromStore, n);

    public void AddRequest() => Interlocked.Increment(ref _requests);

    public void AddBadRequest() => Interlocked.Increment(ref _badRequests);

    public void AddOriginError() => Interlocked.Increment(ref _originErrors);

    public void AddSegmentServed() => Interlocked.Increment(ref _segmentsServed);

    public void AddPlaylistServed() => Interlocked.Increment(ref _playlistsServed);

    /// <summary>Prometheus text exposition format 0.0.4; gauges from the caller (store sizes) are appended.</summary>
    public string ToPrometheus(IEnumerable<(string Name, string Help, double Value)> gauges)
    {
        ArgumentNullException.ThrowIfNull(gauges);
        var text = new StringBuilder();
        Counter(text, "shoal_bytes_to_players_total", "Bytes the gateway delivered to players.", BytesToPlayers);
        Counter(text, "shoal_bytes_from_origin_total", "Bytes fetched from origins.", BytesFromOrigin);
        Counter(text, "shoal_bytes_from_peers_total", "Verified bytes received from peers.", BytesFromPeers);
        Counter(text, "shoal_bytes_uploaded_total", "Bytes uploaded to peers.", BytesUploaded);
        Counter(text, "shoal_bytes_from_store_total", "Bytes served from the node's own memory or disk cache.", BytesFromStore);
        Counter(text, "shoal_gateway_requests_total", "HTTP requests the gateway received.", Requests);
        Counter(text, "shoal_gateway_bad_requests_total", "Requests refused with a 4xx.", BadRequests);
        Counter(text, "shoal_origin_errors_total", "Origin failures answered with a 5xx or an aborted response.", OriginErrors);
        Counter(text, "shoal_segments_served_total", "Media segments and file slices served to players.", SegmentsServed);
        Counter(text, "shoal_playlists_served_total", "Rewritten playlists and manifests served.", PlaylistsServed);
        foreach (var (name, help, value) in gauges)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
}
