using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;
using Shoal.Tracker.State;

namespace Shoal.Tracker.Oracle;

/// <summary>
/// The mapping service's hash oracle for third-party CDNs that sign nothing: it follows a mapped HLS media playlist,
/// fetches each new segment once, builds its Merkle root (RFC 7574 hashing, Shoal.Core.Integrity) and publishes the
/// signed manifest (a chained update for live, one manifest for VOD) with the mapping-service key, so peers can
/// verify every piece without a publisher. A mapped plain file is fetched once, cut into fixed-size segments and
/// published as one on-demand manifest (<see cref="FileHasher"/>).
/// </summary>
/// <remarks>
/// The chain lives in the store, not in this object: each poll continues from the latest manifest stored, and a
/// lease in the store keeps one instance in charge of each feed. When several instances share a Redis store and
/// one mapping-service key, a surviving instance takes over a dead one's feeds and extends the same chain.
/// </remarks>
public sealed partial class HashOracle : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly ITrackerStore _store;
    private readonly SigningKeyPair _key;
    private readonly TimeProvider _time;
    private readonly HashOracleOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Rid, Feed> _feeds = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _instance = Guid.NewGuid().ToString("N");

    public HashOracle(HttpClient http, ITrackerStore store, SigningKeyPair key, TimeProvider time, HashOracleOptions options, ILogger? logger = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The User-Agent the oracle's origin requests carry.</summary>
    public const string UserAgent = "shoal-oracle";

    public PublicSigningKey PublicKey => _key.PublicKey;

    /// <summary>Segments fetched and hashed so far (each new segment exactly once).</summary>
    public long SegmentsHashed => Interlocked.Read(ref _segmentsHashed);

    private long _segmentsHashed;

    /// <summary>Starts following <paramref name="mapping"/>'s playlist in the background (no-op if already followed).</summary>
    public bool Follow(ResourceMapping mapping, out string error)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (_feeds.ContainsKey(mapping.Rid))
        {
            error = string.Empty;
            return true;
        }

        if (_feeds.Count >= _options.MaxFeeds)
        {
            error = $"The oracle already follows {_options.MaxFeeds} playlists.";
            return false;
        }

        var feed = new Feed(mapping.Rid, new Uri(mapping.OriginUrl), mapping.Kind == nameof(ResourceKind.File));
        if (_feeds.TryAdd(mapping.Rid, feed))
        {
            feed.Loop = Task.Run(() => RunAsync(feed));
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Follows every mapping in the store that asks for the oracle (each instance runs this at start and now and
    /// then; the lease decides which instance actually polls a feed).
    /// </summary>
    public async Task FollowAllMappedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var mapping in await _store.ListMappingsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (mapping.Oracle)
            {
                Follow(mapping, out _);
            }
        }
    }

    /// <summary>
    /// Fetches the playlist once, hashes the segments not seen before and publishes an update if there were any.
    /// Returns the delay the playlist asks for before the next poll, or null when the list has ended.
    /// </summary>
    internal async Task<TimeSpan?> PollOnceAsync(Rid rid, Uri playlistUri, CancellationToken cancellationToken)
    {
        var feed = _feeds.GetOrAdd(rid, _ => new Feed(rid, playlistUri));
        await feed.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PollAsync(feed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private async Task RunAsync(Feed feed)
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            TimeSpan? next;
            try
            {
                if (!await _store.TryHoldLeaseAsync("oracle:" + feed.Rid.ToHex(), _instance, _time.GetUtcNow(), _options.LeaseTime, token).ConfigureAwait(false))
                {
                    // Another instance follows this playlist; stand by in case it dies.
                    next = _options.LeaseTime / 2;
                }
                else
                {
                    await feed.Gate.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        next = feed.IsFile
                            ? await HashFileAsync(feed, token).ConfigureAwait(false)
                            : await PollAsync(feed, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        feed.Gate.Release();
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // An origin hiccup must not end the feed: log it and retry later.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogPollFailed(_logger, feed.PlaylistUri, e.Message);
                next = _options.RetryInterval;
                if (feed.IsFile && ++feed.Failures >= _options.MaxFileAttempts)
                {
                    // A file that keeps failing (gone, too big) is dropped; a later mapping request tries again.
                    LogFileAbandoned(_logger, feed.PlaylistUri, feed.Failures);
                    _feeds.TryRemove(feed.Rid, out _);
                    return;
                }
            }

            if (next is null)
            {
                LogEnded(_logger, feed.PlaylistUri);
                return;
            }

            try
            {
                await Task.Delay(next.Value, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<TimeSpan?> PollAsync(Feed feed, CancellationToken cancellationToken)
    {
        var previous = await LatestOwnAsync(feed.Rid, cancellationToken).ConfigureAwait(false);
        if (previous is { Manifest.IsLiveUpdate: false })
        {
            return null; // already published as on-demand content: nothing more will come
        }

        var text = await _http.GetStringAsync(feed.PlaylistUri, cancellationToken).ConfigureAwait(false);
        if (!MediaPlaylist.TryParse(text, feed.PlaylistUri, out var playlist, out var error))
        {
            throw new InvalidDataException(error);
        }

        var lastSequence = previous?.Manifest.Segments.Count > 0 ? previous.Manifest.Segments[^1].Sequence : -1;
        var fresh = playlist.Segments.Where(s => s.Sequence > lastSequence).ToList();
        var entries = new List<SegmentEntry>(fresh.Count);
        foreach (var segment in fresh)
        {
            var bytes = await FetchSegmentAsync(segment.Uri, cancellationToken).ConfigureAwait(false);
            var root = MerkleTree.Build(MerkleHashFunction.Sha256, bytes).Root;
            entries.Add(new SegmentEntry(segment.Sequence, segment.Uri.AbsoluteUri, null, bytes.Length, segment.Duration, root));
            Interlocked.Increment(ref _segmentsHashed);
        }

        if (entries.Count > 0)
        {
            Manifest manifest;
            if (playlist.Ended && previous is null)
            {
                // On demand from the first look: one manifest with every segment, update number 0.
                manifest = new Manifest(feed.Rid, ResourceKind.HlsVod, entries);
            }
            else
            {
                // The next link of the live chain: the window slides, the update number counts on, and the update
                // names the digest of the previous one (what LiveManifestFollower checks).
                var window = (previous?.Manifest.Segments ?? []).Concat(entries).TakeLast(_options.WindowSegments);
                manifest = new Manifest(feed.Rid, ResourceKind.HlsLive, window, updateNumber: (previous?.Manifest.UpdateNumber ?? 0) + 1, previousUpdate: previous?.Digest ?? default);
            }

            var signed = SignedManifest.Sign(manifest, _key);
            await _store.PutManifestAsync(feed.Rid, manifest.UpdateNumber, signed.Bytes.ToArray(), cancellationToken).ConfigureAwait(false);
            LogPublished(_logger, feed.Rid, manifest.UpdateNumber, entries.Count);
        }

        if (playlist.Ended)
        {
            return null;
        }

        // RFC 8216 §6.3.4: reload after the target duration; when nothing changed, after half of it.
        var interval = entries.Count > 0 ? playlist.TargetDuration : playlist.TargetDuration / 2;
        return interval < _options.MinPollInterval ? _options.MinPollInterval : interval;
    }

    /// <summary>
    /// Hashes a mapped plain file once and publishes its on-demand manifest; nothing to do when the resource already has
    /// a manifest (this oracle's, or a publisher's: a file never changes under its URL as far as the swarm is concerned).
    /// </summary>
    private async Task<TimeSpan?> HashFileAsync(Feed feed, CancellationToken cancellationToken)
    {
        if (await _store.GetManifestAsync(feed.Rid, null, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        var manifest = await FileHasher.HashAsync(_http, feed.PlaylistUri, feed.Rid, _options.FileSegmentBytes, _options.MaxFileBytes, cancellationToken).ConfigureAwait(false);
        var signed = SignedManifest.Sign(manifest, _key);
        await _store.PutManifestAsync(feed.Rid, manifest.UpdateNumber, signed.Bytes.ToArray(), cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _segmentsHashed, manifest.Segments.Count);
        LogFileHashed(_logger, feed.PlaylistUri, manifest.TotalLength, manifest.Segments.Count);
        return null;
    }

    /// <summary>The latest stored manifest if this oracle's key signed it (a chain it can extend), else null.</summary>
    private async Task<SignedManifest?> LatestOwnAsync(Rid rid, CancellationToken cancellationToken)
    {
        var bytes = await _store.GetManifestAsync(rid, null, cancellationToken).ConfigureAwait(false);
        return bytes is not null && SignedManifest.TryDecode(bytes, _key.PublicKey, out var signed, out _) && signed.Manifest.Rid == rid
            ? signed
            : null;
    }

    private async Task<byte[]> FetchSegmentAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength is { } declared && declared > _options.MaxSegmentBytes)
        {
            throw new InvalidDataException($"Segment {uri} is {declared} bytes, over the {_options.MaxSegmentBytes}-byte limit.");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _options.MaxSegmentBytes)
            {
                throw new InvalidDataException($"Segment {uri} is over the {_options.MaxSegmentBytes}-byte limit.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_feeds.Values.Select(f => f.Loop)).ConfigureAwait(false);
        foreach (var feed in _feeds.Values)
        {
            feed.Gate.Dispose();
        }

        _stop.Dispose();
    }

    private sealed class Feed(Rid rid, Uri playlistUri, bool isFile = false)
    {
        public Rid Rid { get; } = rid;

        /// <summary>The playlist followed, or for a file the file itself.</summary>
        public Uri PlaylistUri { get; } = playlistUri;

        public bool IsFile { get; } = isFile;

        public int Failures { get; set; }

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Task Loop { get; set; } = Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hash oracle: polling {Playlist} failed ({Reason}); retrying later.")]
    private static partial void LogPollFailed(ILogger logger, Uri playlist, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hash oracle: hashed the file {File}: {Bytes} bytes in {Segments} segments.")]
    private static partial void LogFileHashed(ILogger logger, Uri file, long bytes, int segments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hash oracle: gave up on the file {File} after {Attempts} failed attempts.")]
    private static partial void LogFileAbandoned(ILogger logger, Uri file, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hash oracle: {Playlist} has ended (#EXT-X-ENDLIST); its manifest is complete.")]
    private static partial void LogEnded(ILogger logger, Uri playlist);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hash oracle: published update {Update} of {Rid} with {Count} new segments.")]
    private static partial void LogPublished(ILogger logger, Rid rid, long update, int count);
}
