using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Shoal.Core.Identity;
using Shoal.Core.Manifests;
using Shoal.Node.Fetching;
using Shoal.Tracker.Client;

namespace Shoal.Node.Swarming;

/// <summary>
/// The node's swarms: one <see cref="SwarmSession"/> per resource a player watches or a download fetches, created when
/// the gateway first serves that resource's playlist or file (or <c>shoal get</c> starts), mapped to its RID and signed
/// manifest by the tracker's mapping service (which hashes a plain file once on the first request).
/// </summary>
public sealed partial class SwarmHost : IAsyncDisposable
{
    private readonly SwarmHostOptions _options;
    private readonly HttpTrackerClient _tracker;
    private readonly ITrackerClient _announcer;
    private readonly OriginClient _origin;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Rid, SwarmSession> _sessions = new();
    private readonly SemaphoreSlim _joining = new(1, 1);
    private readonly ConcurrentDictionary<Rid, long> _refusedAt = new();
    private PublicSigningKey? _mappingKey;

    /// <param name="tracker">The tracker's HTTP API: URL mappings and signed manifests (and announces, unless
    /// <paramref name="announcer"/> is given).</param>
    /// <param name="announcer">Where the swarms announce: a BEP 15 tracker (any standard UDP tracker will do), or null
    /// for the HTTP API's announce.</param>
    public SwarmHost(SwarmHostOptions options, HttpTrackerClient tracker, OriginClient origin, TimeProvider time, ILoggerFactory loggers, ITrackerClient? announcer = null)
    {
        _options = options;
        _tracker = tracker;
        _announcer = announcer ?? tracker;
        _origin = origin;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SwarmHost>();
    }

    public IReadOnlyCollection<SwarmSession> Sessions => [.. _sessions.Values];

    public SwarmSession? Find(Rid rid) => _sessions.GetValueOrDefault(rid);

    /// <summary>
    /// Joins the swarm of <paramref name="resourceUrl"/> (an HLS media playlist, or a plain file) if the node is not in
    /// it yet. Returns null when the tracker cannot map it; the gateway then serves the resource directly from the
    /// origin, and the tracker is not asked about it again for <see cref="SwarmHostOptions.RetryMappingAfter"/>.
    /// </summary>
    public async Task<SwarmSession?> TrackAsync(Uri resourceUrl, ResourceKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceUrl);
        var rid = Rid.ForUrl(resourceUrl.AbsoluteUri);
        if (_sessions.TryGetValue(rid, out var existing))
        {
            return existing;
        }

        if (_refusedAt.TryGetValue(rid, out var refused) && _time.GetElapsedTime(refused) < _options.RetryMappingAfter)
        {
            return null;
        }

        await _joining.WaitAsync(cancellationToken);
        try
        {
            if (_sessions.TryGetValue(rid, out existing))
            {
                return existing;
            }

            _mappingKey ??= await _tracker.GetMappingServiceKeyAsync(cancellationToken);
            // A file is hashed by the oracle only when asked: it costs the origin one whole copy.
            var mapping = kind == ResourceKind.File
                ? await _tracker.MapAsync(resourceUrl.AbsoluteUri, ResourceKind.File, oracle: true, cancellationToken)
                : await _tracker.MapAsync(resourceUrl.AbsoluteUri, cancellationToken: cancellationToken);
            if (!Rid.TryParse(mapping.Rid, out var mapped) || mapped != rid)
            {
                LogMappingMismatch(resourceUrl, mapping.Rid, rid);
                _refusedAt[rid] = _time.GetTimestamp();
                return null;
            }

            // The first swarm listens on the configured port (what the operator opened); later ones on free ports.
            var bind = _sessions.IsEmpty ? _options.Bind : new IPEndPoint(_options.Bind.Address, 0);
            var session = SwarmSession.Start(rid, resourceUrl, kind, _options, bind, _origin, _tracker, _announcer, _mappingKey, _time, _loggers);
            _sessions[rid] = session;
            LogJoined(rid, resourceUrl, session.LocalEndPoint);
            return session;
        }
        catch (Exception e) when (e is TrackerException or HttpRequestException or IOException or System.Text.Json.JsonException)
        {
            LogTrackerUnavailable(resourceUrl, e.Message);
            _refusedAt[rid] = _time.GetTimestamp();
            return null;
        }
        finally
        {
            _joining.Release();
        }
    }

    public IReadOnlyList<SwarmSessionStatus> Snapshot() => [.. _sessions.Values.Select(s => s.Snapshot())];

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values)
        {
            await session.DisposeAsync();
        }

        _sessions.Clear();
        _joining.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined the swarm {Rid} of {Url} on UDP {EndPoint}.")]
    private partial void LogJoined(Rid rid, Uri url, IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The tracker could not map {Url} ({Reason}); serving it directly from the origin.")]
    private partial void LogTrackerUnavailable(Uri url, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The tracker mapped {Url} to {Mapped}, but this node derives {Expected}; serving it directly.")]
    private partial void LogMappingMismatch(Uri url, string mapped, Rid expected);
}
