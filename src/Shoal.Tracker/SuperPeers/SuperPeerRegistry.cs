using System.Collections.Frozen;
using Shoal.Tracker.Peers;
using Shoal.Tracker.State;

namespace Shoal.Tracker.SuperPeers;

/// <summary>
/// Decides which nodes are super peers from what they report (uptime, upload capacity, success rate), keeps the
/// verdicts in the store, and answers "is this peer id a super peer?" from an in-process snapshot so the UDP hot
/// path never waits on the store.
/// </summary>
public sealed class SuperPeerRegistry
{
    private readonly ITrackerStore _store;
    private readonly TimeProvider _time;
    private readonly SuperPeerOptions _options;
    private volatile FrozenSet<PeerId> _superPeers = FrozenSet<PeerId>.Empty;
    private long _lastRefreshTimestamp;

    public SuperPeerRegistry(ITrackerStore store, TimeProvider time, SuperPeerOptions options)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public SuperPeerOptions Options => _options;

    public bool IsSuper(PeerId peerId) => _superPeers.Contains(peerId);

    /// <summary>The verdict for a node given its new figures and whether it was a super peer before (hysteresis).</summary>
    public bool Judge(bool wasSuper, double uptimeSeconds, long uploadBytesPerSecond, double successRate)
    {
        if (wasSuper)
        {
            return uptimeSeconds >= _options.DemoteBelowUptime.TotalSeconds
                && uploadBytesPerSecond >= _options.DemoteBelowUploadBytesPerSecond
                && successRate >= _options.DemoteBelowSuccessRate;
        }

        return uptimeSeconds >= _options.PromoteMinUptime.TotalSeconds
            && uploadBytesPerSecond >= _options.PromoteMinUploadBytesPerSecond
            && successRate >= _options.PromoteMinSuccessRate;
    }

    /// <summary>Records a node's report, judges it and returns the stored status.</summary>
    public async ValueTask<NodeStatus> ReportAsync(NodeStatus report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var previous = await _store.GetNodeStatusAsync(report.PeerId, cancellationToken).ConfigureAwait(false);
        var wasSuper = previous is { IsSuper: true } && _time.GetUtcNow() - previous.LastReport <= _options.ReportTimeout;
        var status = report with
        {
            IsSuper = Judge(wasSuper, report.UptimeSeconds, report.UploadCapacityBytesPerSecond, report.SuccessRate),
            LastReport = _time.GetUtcNow(),
        };
        await _store.PutNodeStatusAsync(status, cancellationToken).ConfigureAwait(false);
        if (status.IsSuper != wasSuper)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        return status;
    }

    /// <summary>The live super peers, best upload capacity first.</summary>
    public async ValueTask<IReadOnlyList<NodeStatus>> ListSuperPeersAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var nodes = await _store.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        return nodes
            .Where(n => n.IsSuper && now - n.LastReport <= _options.ReportTimeout)
            .OrderByDescending(n => n.UploadCapacityBytesPerSecond)
            .ThenByDescending(n => n.SuccessRate)
            .ToList();
    }

    /// <summary>Re-reads the registry from the store when the snapshot is older than the refresh interval.</summary>
    public async ValueTask RefreshIfStaleAsync(CancellationToken cancellationToken = default)
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastRefreshTimestamp)) >= _options.RefreshInterval)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask RefreshAsync(CancellationToken cancellationToken = default)
    {
        var supers = await ListSuperPeersAsync(cancellationToken).ConfigureAwait(false);
        _superPeers = supers.Select(n => n.PeerId).ToFrozenSet();
        Interlocked.Exchange(ref _lastRefreshTimestamp, _time.GetTimestamp());
    }
}
