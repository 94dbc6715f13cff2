using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Core.Fragmentation;
using Shoal.Core.Identity;
using Shoal.Core.Manifests;
using Shoal.Node.Fetching;
using Shoal.Node.Gateway;
using Shoal.Node.Storage;
using Shoal.Node.Swarming;
using Shoal.Tracker.Client;
using Shoal.Tracker.Peers;

namespace Shoal.Node.Downloads;

/// <summary>
/// <c>shoal get</c>'s engine room: a plain file downloaded slice by slice through the same segment sources the gateway
/// uses (the swarm, falling back to the origin), then optionally seeded: every slice the swarm does not hold yet (those
/// that came directly, before the mapping service had hashed the file) is read back from the written file, verified
/// against the signed manifest and served to peers.
/// </summary>
public sealed class FileDownload : IAsyncDisposable
{
    private readonly FileDownloadOptions _options;
    private readonly OriginClient _origin;
    private readonly ContentStore _store;
    private readonly NodeMetrics _metrics = new();
    private readonly HttpTrackerClient? _tracker;
    private readonly ITrackerClient? _announcer;
    private readonly SwarmHost? _host;
    private readonly ISegmentSource _source;

    private FileDownload(FileDownloadOptions options, HttpTrackerClient? tracker, ITrackerClient? announcer, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _tracker = tracker;
        _announcer = announcer;
        Rid = Rid.ForUrl(options.Url.AbsoluteUri);
        _origin = new OriginClient(new OriginClientOptions(), time);
        _store = new ContentStore(options.Store, time, loggers.CreateLogger<ContentStore>());
        var direct = new DirectSegmentSource(_origin, _store, _metrics);
        _source = direct;
        if (tracker is not null)
        {
            _host = new SwarmHost(new SwarmHostOptions
            {
                Bind = options.UdpBind,
                UploadBytesPerSecond = options.UploadBytesPerSecond,
                SegmentTimeout = options.SwarmSegmentTimeout,
                FileLead = options.FileLead,
            }, tracker, _origin, time, loggers, announcer);
            _source = new SwarmSegmentSource(_host, direct);
        }
    }

    public Rid Rid { get; }

    /// <summary>The file's length, known after <see cref="StartAsync"/>.</summary>
    public long Length { get; private set; }

    /// <summary>The file's swarm, when a tracker was given and could map the file.</summary>
    public SwarmSession? Session { get; private set; }

    public DownloadTotals Totals
    {
        get
        {
            var swarms = _host?.Snapshot() ?? [];
            return new DownloadTotals(
                _metrics.BytesFromOrigin + swarms.Sum(s => s.BytesFromOrigin),
                swarms.Sum(s => s.BytesFromPeers),
                _metrics.BytesFromStore,
                swarms.Sum(s => s.BytesUploaded));
        }
    }

    /// <summary>
    /// Learns the file's length from the origin (it must support Range requests) and joins its swarm, which asks the
    /// mapping service to hash the file if nobody has yet. Throws <see cref="OriginException"/> with the reason.
    /// </summary>
    public static async Task<FileDownload> StartAsync(FileDownloadOptions options, TimeProvider time, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var peerId = PeerId.NewRandom();
        var tracker = options.TrackerHttp is { } api ? new HttpTrackerClient(api, peerId) : null;
        ITrackerClient? announcer = null;
        if (tracker is not null && options.UdpTracker is { } udp)
        {
            try
            {
                announcer = await TrackerClientFactory.CreateAsync(udp, peerId, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await tracker.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        var download = new FileDownload(options, tracker, announcer, time, loggers ?? NullLoggerFactory.Instance);
        try
        {
            var probe = await download._origin.ProbeAsync(options.Url, cancellationToken).ConfigureAwait(false);
            if (probe.Length is not { } length || !probe.SupportsRanges)
            {
                throw new OriginException($"{options.Url} does not say its length or does not support Range requests, so it cannot be fetched in pieces");
            }

            download.Length = length;
            if (download._host is { } host)
            {
                download.Session = await host.TrackAsync(options.Url, ResourceKind.File, cancellationToken).ConfigureAwait(false);
            }

            return download;
        }
        catch
        {
            await download.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes the file to <paramref name="target"/> slice by slice, reporting each piece's length.</summary>
    public async Task DownloadToAsync(Stream target, Action<long> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(progress);
        foreach (var cut in Cuts())
        {
            var range = ByteRange.FromOffset(cut.Offset, cut.Length);
            var request = new SegmentRequest(new SegmentKey(Rid, cut.Sequence), _options.Url, range, Live: false);
            await foreach (var piece in _source.ReadAsync(request, cancellationToken).ConfigureAwait(false))
            {
                await target.WriteAsync(piece, cancellationToken).ConfigureAwait(false);
                progress(piece.Length);
            }
        }
    }

    /// <summary>
    /// Makes the swarm hold the whole file for seeding: waits up to <paramref name="wait"/> for the manifest, then
    /// hands it every slice it does not hold, read back from <paramref name="path"/>. Returns the slices the swarm holds.
    /// </summary>
    public async Task<int> PrepareSeedingAsync(string path, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (Session is not { } session || await session.WaitForManifestAsync(wait, cancellationToken).ConfigureAwait(false) is not { } manifest)
        {
            return 0;
        }

        var held = 0;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        foreach (var entry in manifest.Segments)
        {
            if (!session.Holds(entry.Sequence) && entry.Offset is { } offset && offset + entry.Length <= file.Length)
            {
                var bytes = new byte[entry.Length];
                file.Position = offset;
                await file.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                session.Preload(entry.Sequence, bytes);
            }

            held += session.Holds(entry.Sequence) ? 1 : 0;
        }

        session.Park();
        return held;
    }

    /// <summary>The file's slices: the manifest's when it has come and describes this file, else the default cut.</summary>
    private IEnumerable<SegmentCut> Cuts()
    {
        if (Session?.Manifest is { Kind: ResourceKind.File } manifest && manifest.TotalLength == Length && manifest.Segments.All(s => s.Offset is not null))
        {
            return manifest.Segments.Select(s => new SegmentCut(s.Sequence, s.Offset!.Value, s.Length));
        }

        return FixedSizeFragmenter.Cut(Length, _options.SegmentBytes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        if (_tracker is not null)
        {
            await _tracker.DisposeAsync().ConfigureAwait(false);
        }

        if (_announcer is not null)
        {
            await _announcer.DisposeAsync().ConfigureAwait(false);
        }

        await _store.DisposeAsync().ConfigureAwait(false);
        _origin.Dispose();
    }
}
