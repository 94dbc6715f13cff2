using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Shoal.Core.Content;
using Shoal.Core.Identity;
using Shoal.Core.Manifests;
using Shoal.Engine;
using Shoal.Engine.Swarming;
using OriginResponse = Shoal.Engine.Swarming.OriginResponse;
using Shoal.Node.Fetching;
using Shoal.Node.Transport;
using Shoal.Tracker.Client;

namespace Shoal.Node.Swarming;

/// <summary>
/// One resource's swarm inside a real node: the sans-IO <see cref="Swarm"/> on its own UDP socket, fed with the
/// signed manifest from the mapping service, peers from the tracker, and origin ranges fetched over HTTP; players
/// read verified pieces from it as they arrive.
/// </summary>
/// <remarks>
/// Every touch of the swarm goes through <see cref="UdpDriver.Invoke"/> (the driver's lock), and every touch is
/// followed by <see cref="Pump"/>, which drains events (waking readers) and origin requests (starting HTTP fetches
/// whose answers come back through the driver again), the order <see cref="Swarm"/> asks of its drivers.
/// </remarks>
public sealed partial class SwarmSession : IAsyncDisposable
{
    private readonly Swarm _swarm;
    private readonly UdpDriver _driver;
    private readonly OriginClient _origin;
    private readonly HttpTrackerClient _tracker;
    private readonly ITrackerClient _announcer;
    private readonly PublicSigningKey _mappingKey;
    private readonly SwarmHostOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _waitersGate = new();
    private TaskCompletionSource _progress = NewProgress();
    private LiveManifestFollower? _follower;
    private Manifest? _manifest;
    private Task? _manifestLoop;
    private Task? _announceLoop;
    private long _deliveredFromPeers;
    private long _deliveredFromOrigin;
    private int _trackerPeers;
    private volatile bool _announced;

    private readonly long _started;

    private SwarmSession(
        Rid rid, Uri resourceUrl, ResourceKind kind, SwarmHostOptions options, IPEndPoint bind, OriginClient origin, HttpTrackerClient tracker,
        ITrackerClient announcer, PublicSigningKey mappingKey, TimeProvider time, ILoggerFactory loggers)
    {
        Rid = rid;
        ResourceUrl = resourceUrl;
        Kind = kind;
        _started = time.GetTimestamp();
        _options = options;
        _origin = origin;
        _tracker = tracker;
        _announcer = announcer;
        _mappingKey = mappingKey;
        _time = time;
        _logger = loggers.CreateLogger<SwarmSession>();
        _swarm = new Swarm(options.EngineOptions(rid, kind), new Random(options.Seed ^ rid.GetHashCode()), Instant.Zero);
        _driver = new UdpDriver(new SwarmEngineAdapter(_swarm, Pump), bind, time, loggers.CreateLogger<UdpDriver>());
    }

    public Rid Rid { get; }

    /// <summary>The origin URL the resource is named by (the playlist of a live channel, or the file).</summary>
    public Uri ResourceUrl { get; }

    /// <summary>What the node asked the mapping service for: a playlist's segments, or a plain file's fixed-size slices.</summary>
    public ResourceKind Kind { get; }

    /// <summary>The latest verified manifest, or null before the first one.</summary>
    public Manifest? Manifest => Volatile.Read(ref _manifest);

    public IPEndPoint LocalEndPoint => _driver.LocalEndPoint;

    /// <summary>Starts the socket and the manifest and announce loops.</summary>
    public static SwarmSession Start(
        Rid rid, Uri resourceUrl, ResourceKind kind, SwarmHostOptions options, IPEndPoint bind, OriginClient origin, HttpTrackerClient tracker,
        ITrackerClient announcer, PublicSigningKey mappingKey, TimeProvider time, ILoggerFactory loggers)
    {
        var session = new SwarmSession(rid, resourceUrl, kind, options, bind, origin, tracker, announcer, mappingKey, time, loggers);
        session._driver.Start();
        session._manifestLoop = Task.Run(session.FollowManifestAsync);
        session._announceLoop = Task.Run(session.AnnounceLoopAsync);
        return session;
    }

    /// <summary>
    /// The verified pieces of segment <paramref name="sequence"/>, in order, each as soon as it is verified. Ends
    /// early (the caller then fetches directly) when the manifest does not list the segment in time, lists it at other
    /// bytes than <paramref name="expected"/> (a file cut differently from the gateway's slices), or when it does not
    /// complete within <see cref="SwarmHostOptions.SegmentTimeout"/>; <paramref name="complete"/> says which.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadSegmentAsync(
        long sequence, ByteRange? expected, StrongBox<bool> complete, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(complete);
        complete.Value = false;
        var started = _time.GetTimestamp();
        var entry = await FindSegmentAsync(sequence, cancellationToken).ConfigureAwait(false);
        if (Kind == ResourceKind.File)
        {
            // A file reader that starts before the tracker's peers are neighbours takes its first slices from the origin.
            await WaitForHolderAsync(sequence, _options.FileNeighbourWait - _time.GetElapsedTime(_started), cancellationToken).ConfigureAwait(false);
        }

        if (entry is null || (expected is { } range && (entry.Offset != range.First || entry.Length != range.Length)))
        {
            yield break;
        }

        var manifest = Volatile.Read(ref _manifest)!;
        var layout = manifest.Layout(entry);
        _driver.Invoke((_, now) =>
        {
            if (_swarm.MediaStartOf(sequence) is { } start)
            {
                // A file slice is asked for a little ahead of its deadline (SwarmHostOptions.FileLead); a media segment
                // is due as the player asks for it.
                _swarm.SetPlayback(now, Kind == ResourceKind.File ? start - _options.FileLead.TotalSeconds : start, 1.0);
            }

            Pump(now);
        });

        for (var index = 0; index < layout.PieceCount; index++)
        {
            ReadOnlyMemory<byte> piece;
            while ((piece = _driver.Invoke((_, _) => _swarm.ReadPiece(new PieceId(sequence, index)))).IsEmpty)
            {
                if (!await WaitForProgressAsync(started, _options.SegmentTimeout, cancellationToken))
                {
                    _logger.LogInformation("Segment {Sequence} of {Rid} not complete from the swarm in {Timeout}; the gateway takes the rest from the origin.", sequence, Rid, _options.SegmentTimeout);
                    yield break;
                }
            }

            yield return piece;
        }

        var (fromPeers, fromOrigin) = _driver.Invoke((_, now) =>
        {
            _swarm.DeliverToPlayer(sequence);
            var split = _swarm.SourcesOf(sequence);
            Pump(now);
            return split;
        });
        Interlocked.Add(ref _deliveredFromPeers, fromPeers);
        Interlocked.Add(ref _deliveredFromOrigin, fromOrigin);
        complete.Value = true;
    }

    /// <summary>
    /// The manifest's entry for <paramref name="sequence"/>, waiting for it while it may still come: before the first
    /// manifest, until <see cref="SwarmHostOptions.ManifestWait"/> after the session started (not after each request: a
    /// file's first manifest comes only once the oracle has read the whole file, and its readers go direct meanwhile);
    /// for a segment newer than a live manifest, up to that long for the next update. A finished (on-demand) manifest
    /// that lacks the segment never will have it.
    /// </summary>
    private async Task<SegmentEntry?> FindSegmentAsync(long sequence, CancellationToken cancellationToken)
    {
        var asked = _time.GetTimestamp();
        while (true)
        {
            var manifest = Volatile.Read(ref _manifest);
            if (manifest?.FindSegment(sequence) is { } entry)
            {
                return entry;
            }

            if (manifest is { IsLiveUpdate: false, Segments.Count: > 0 })
            {
                return null;
            }

            if (!await WaitForProgressAsync(manifest is null ? _started : asked, _options.ManifestWait, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    /// <summary>Waits up to <paramref name="limit"/> for the first manifest; null if none came.</summary>
    public async Task<Manifest?> WaitForManifestAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (Volatile.Read(ref _manifest) is null)
        {
            if (!await WaitForProgressAsync(started, limit, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        return Volatile.Read(ref _manifest);
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> until the tracker has answered and, if it named peers, a neighbour has
    /// announced the first piece of segment <paramref name="sequence"/>: a download that starts before would take its
    /// first slices from the origin while peers have them (and the first neighbour to connect may be a newcomer that
    /// holds nothing). When nobody holds it, the wait simply ends at the limit.
    /// </summary>
    public async Task WaitForHolderAsync(long sequence, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var waited = false;
        while (!_announced || (Volatile.Read(ref _trackerPeers) > 0 && _driver.Invoke((_, _) => _swarm.HolderCount(new PieceId(sequence, 0))) == 0))
        {
            waited = true;
            if (!await WaitForProgressAsync(started, limit, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        if (waited)
        {
            LogStartNeighbours(Rid, _driver.Invoke((_, _) => _swarm.NeighbourCount), Volatile.Read(ref _trackerPeers), _time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Whether every piece of segment <paramref name="sequence"/> is verified in the swarm (so peers can have it).</summary>
    public bool Holds(long sequence) => _driver.Invoke((_, _) => _swarm.IsSegmentComplete(sequence));

    /// <summary>
    /// A whole segment the node got outside the swarm (directly from the origin, or read back from a finished
    /// download): checked against the manifest and then served to peers. Returns false if it did not verify.
    /// </summary>
    public bool Preload(long sequence, ReadOnlyMemory<byte> segment) => _driver.Invoke((_, now) =>
    {
        _swarm.Preload(now, sequence, segment.Span);
        Pump(now);
        return _swarm.IsSegmentComplete(sequence);
    });

    /// <summary>
    /// Holds the playhead still at the resource's first segment (a finished download that seeds): nothing lies behind
    /// it to be discarded, and with every piece held nothing is due.
    /// </summary>
    public void Park() => _driver.Invoke((_, now) =>
    {
        if (Volatile.Read(ref _manifest)?.Segments is [var first, ..] && _swarm.MediaStartOf(first.Sequence) is { } start)
        {
            _swarm.SetPlayback(now, start, 0);
        }

        Pump(now);
    });

    /// <summary>The figures the node publishes (status page, metrics, tracker reports).</summary>
    public SwarmSessionStatus Snapshot() => _driver.Invoke((_, _) => new SwarmSessionStatus(
        Rid,
        ResourceUrl,
        LocalEndPoint,
        _swarm.Metrics.BytesFromPeers,
        _swarm.Metrics.BytesFromOrigin,
        _swarm.Metrics.BytesUploaded,
        Interlocked.Read(ref _deliveredFromPeers),
        Interlocked.Read(ref _deliveredFromOrigin),
        _swarm.Metrics.PeersBanned,
        Volatile.Read(ref _trackerPeers),
        [.. _swarm.Metrics.Neighbours]));

    private void Pump(Instant now)
    {
        var progressed = false;
        while (_swarm.TryPollEvent(out var e))
        {
            switch (e.Kind)
            {
                case SwarmEventKind.PieceVerified or SwarmEventKind.SegmentVerified or SwarmEventKind.NeighbourConnected:
                    progressed = true;
                    break;
                case SwarmEventKind.PeerBanned:
                    LogBanned(e.Peer);
                    break;
                case SwarmEventKind.PeerDropped:
                    LogDropped(e.Peer);
                    break;
            }
        }

        while (_swarm.TryPollOriginRequest(out var request))
        {
            _ = FetchFromOriginAsync(request);
        }

        if (progressed)
        {
            SignalProgress();
        }
    }

    private async Task FetchFromOriginAsync(OriginRequest request)
    {
        OriginResponse response;
        try
        {
            var url = new Uri(ResourceUrl, request.Uri);
            var body = await _origin.GetBytesAsync(url, ByteRange.FromOffset(request.Offset, request.Length), _stop.Token);
            response = body.Length == request.Length
                ? new OriginResponse(request.Id, true, body)
                : new OriginResponse(request.Id, false, ReadOnlyMemory<byte>.Empty);
        }
        catch (Exception e) when (e is OriginException or HttpRequestException or IOException or OperationCanceledException)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            LogOriginFailed(request.Uri, e.Message);
            response = new OriginResponse(request.Id, false, ReadOnlyMemory<byte>.Empty);
        }

        _driver.Invoke((_, now) =>
        {
            _swarm.OriginCompleted(now, response);
            Pump(now);
        });
        SignalProgress();
    }

    private async Task FollowManifestAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await RefreshManifestAsync(token);
            }
            catch (Exception e) when (e is TrackerException or HttpRequestException or IOException or TaskCanceledException && !token.IsCancellationRequested)
            {
                LogManifestFailed(Rid, e.Message);
            }

            var manifest = Volatile.Read(ref _manifest);
            if (manifest is { IsLiveUpdate: false } && manifest.Segments.Count > 0)
            {
                return; // A VOD manifest never changes.
            }

            try
            {
                await Task.Delay(_options.ManifestPollInterval, _time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RefreshManifestAsync(CancellationToken token)
    {
        var latestBytes = await _tracker.GetManifestAsync(Rid, null, token);
        if (latestBytes is null)
        {
            return;
        }

        if (!SignedManifest.TryDecode(latestBytes, _mappingKey, out var latest, out var error))
        {
            LogManifestRejected(Rid, error);
            return;
        }

        if (!latest.Manifest.IsLiveUpdate)
        {
            Accept(latest.Manifest);
            return;
        }

        var current = _follower?.Current?.Manifest.UpdateNumber;
        if (current is { } have && latest.Manifest.UpdateNumber <= have)
        {
            return;
        }

        if (_follower is null || current is null || latest.Manifest.UpdateNumber - current > _options.MaxManifestCatchUp)
        {
            // Join (or re-join after a long gap) at the newest update: it anchors the chain from here on.
            _follower = new LiveManifestFollower(_mappingKey, Rid);
        }
        else
        {
            for (var update = current.Value + 1; update < latest.Manifest.UpdateNumber; update++)
            {
                var bytes = await _tracker.GetManifestAsync(Rid, update, token);
                if (bytes is null || !_follower.TryAccept(bytes, out _, out error))
                {
                    LogManifestRejected(Rid, error ?? $"update {update} is gone");
                    _follower = new LiveManifestFollower(_mappingKey, Rid);
                    break;
                }
            }
        }

        if (_follower.TryAccept(latestBytes, out var accepted, out error))
        {
            Accept(accepted.Manifest);
        }
        else
        {
            LogManifestRejected(Rid, error);
        }
    }

    private void Accept(Manifest manifest)
    {
        Volatile.Write(ref _manifest, manifest);
        _driver.Invoke((_, now) =>
        {
            _swarm.SetManifest(now, manifest);
            Pump(now);
        });
        SignalProgress();
    }

    private async Task AnnounceLoopAsync()
    {
        var token = _stop.Token;
        var interval = _options.AnnounceInterval;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var status = Snapshot();
                var result = await _announcer.AnnounceAsync(
                    Rid, (ushort)LocalEndPoint.Port,
                    new TransferStats(status.BytesFromPeers + status.BytesFromOrigin, 0, status.BytesUploaded),
                    cancellationToken: token);
                Volatile.Write(ref _trackerPeers, result.Peers.Count);
                _announced = true;
                _driver.Invoke((_, now) =>
                {
                    _swarm.SetSwarmSize(result.Seeders + result.Leechers + 1);
                    // A dual-stack tracker reports IPv4 peers as IPv4-mapped IPv6; an IPv4 socket can only send to the IPv4 form.
                    foreach (var peer in result.Peers.Select(Normalize).Where(p => !IsSelf(p)))
                    {
                        _swarm.AddCandidate(peer);
                    }

                    Pump(now);
                });
                SignalProgress();
                interval = result.Interval > _options.AnnounceInterval || result.Interval <= TimeSpan.Zero ? _options.AnnounceInterval : result.Interval;
            }
            catch (Exception e) when (e is TrackerException or HttpRequestException or IOException or System.Net.Sockets.SocketException or TaskCanceledException && !token.IsCancellationRequested)
            {
                LogAnnounceFailed(Rid, e.Message);
            }

            try
            {
                await Task.Delay(interval, _time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static IPEndPoint Normalize(IPEndPoint peer) =>
        peer.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(peer.Address.MapToIPv4(), peer.Port) : peer;

    private bool IsSelf(IPEndPoint peer) =>
        peer.Port == LocalEndPoint.Port && (IPAddress.IsLoopback(peer.Address) || peer.Address.Equals(LocalEndPoint.Address));

    private async Task<bool> WaitForProgressAsync(long started, TimeSpan limit, CancellationToken cancellationToken)
    {
        var left = limit - _time.GetElapsedTime(started);
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        Task progress;
        lock (_waitersGate)
        {
            progress = _progress.Task;
        }

        // Poll at least every 100 ms: a piece verified between our check and taking the task is not missed for long.
        var slice = left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100);
        try
        {
            await progress.WaitAsync(slice, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        return true;
    }

    private void SignalProgress()
    {
        TaskCompletionSource done;
        lock (_waitersGate)
        {
            done = _progress;
            _progress = NewProgress();
        }

        done.TrySetResult();
    }

    private static TaskCompletionSource NewProgress() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _driver.Invoke((_, now) => _swarm.Stop());
        foreach (var loop in new[] { _manifestLoop, _announceLoop })
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(false);
            }
        }

        await AnnounceStoppedAsync().ConfigureAwait(false);
        await _driver.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>
    /// Tells the tracker the node left (BEP 15 "stopped"), so it stops naming us to newcomers, who would otherwise wait
    /// for a neighbour that never answers. Best effort, briefly: a node that cannot reach its tracker still stops.
    /// </summary>
    private async Task AnnounceStoppedAsync()
    {
        if (!_announced)
        {
            return;
        }

        using var limit = new CancellationTokenSource(StoppedAnnounceTimeout, _time);
        try
        {
            await _announcer.AnnounceAsync(Rid, (ushort)LocalEndPoint.Port, new TransferStats(0, 0, 0), Shoal.Tracker.Udp.AnnounceEvent.Stopped, 0, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TrackerException or HttpRequestException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            LogAnnounceFailed(Rid, e.Message);
        }
    }

    private static readonly TimeSpan StoppedAnnounceTimeout = TimeSpan.FromSeconds(1);

    [LoggerMessage(Level = LogLevel.Information, Message = "A reader of {Rid} starts with {Neighbours} neighbours of the {Named} peers the tracker named, after {Milliseconds:0} ms.")]
    private partial void LogStartNeighbours(Rid rid, int neighbours, int named, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped the neighbour {Peer}: it left requests unanswered or flooded us with requests.")]
    private partial void LogDropped(IPEndPoint? peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer} sent data that failed verification and is banned.")]
    private partial void LogBanned(IPEndPoint? peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Origin range of {Uri} failed ({Reason}); the swarm will retry or ask peers.")]
    private partial void LogOriginFailed(string uri, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the manifest of {Rid}: {Reason}")]
    private partial void LogManifestFailed(Rid rid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a manifest update of {Rid}: {Reason}")]
    private partial void LogManifestRejected(Rid rid, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Announce for {Rid} failed: {Reason}; retrying later.")]
    private partial void LogAnnounceFailed(Rid rid, string reason);
}
