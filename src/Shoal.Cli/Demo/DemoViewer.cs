using Shoal.Node.Playback;

namespace Shoal.Cli.Demo;

/// <summary>One viewer of the demo: a `shoal node` process and the player that watches through its gateway.</summary>
internal sealed class DemoViewer : IAsyncDisposable
{
    private readonly List<PlayerSnapshot> _finishedSessions = [];
    private ChildProcess? _node;
    private HlsPlayer? _player;
    private Task? _playing;
    private CancellationTokenSource? _stopPlayer;

    public DemoViewer(int index, int gatewayPort, int udpPort)
    {
        Index = index;
        GatewayPort = gatewayPort;
        UdpPort = udpPort;
    }

    public int Index { get; }

    public string Name => $"node-{Index + 1:00}";

    public int GatewayPort { get; }

    public int UdpPort { get; }

    public Uri Gateway => new($"http://127.0.0.1:{GatewayPort}");

    public NodeStatusReading Status { get; set; } = NodeStatusReading.None;

    /// <summary>Node counters are lost when a leaver's node restarts, so its earlier sessions' totals are kept here.</summary>
    public NodeStatusReading CarriedOver { get; private set; } = NodeStatusReading.None;

    public bool IsWatching => _player is not null;

    public ChildProcess? Node => _node;

    public bool NodeRunning => _node is { HasExited: false };

    public PlayerSnapshot? Current => _player?.Snapshot();

    /// <summary>Every session so far, the running one included.</summary>
    public IReadOnlyList<PlayerSnapshot> Sessions =>
        _player is null ? [.. _finishedSessions] : [.. _finishedSessions, _player.Snapshot()];

    public void StartNode(IEnumerable<string> arguments, string logDirectory, int generation) =>
        _node = ChildProcess.StartShoal($"{Name}-{generation}", arguments, logDirectory);

    public void StartWatching(HttpClient http, Uri playlist, Action<long, int> onSegment)
    {
        _stopPlayer = new CancellationTokenSource();
        _player = new HlsPlayer(http, playlist, TimeProvider.System, onSegmentDelivered: onSegment);
        var token = _stopPlayer.Token;
        _playing = Task.Run(() => _player.RunAsync(token), CancellationToken.None);
    }

    public async Task StopWatchingAsync()
    {
        if (_player is null)
        {
            return;
        }

        await _stopPlayer!.CancelAsync();
        await _playing!;
        _finishedSessions.Add(_player.Snapshot());
        _stopPlayer.Dispose();
        _player = null;
        _playing = null;
        _stopPlayer = null;
    }

    public async Task StopNodeAsync()
    {
        if (_node is null)
        {
            return;
        }

        var last = Status;
        CarriedOver = new NodeStatusReading(
            0,
            CarriedOver.BytesFromPeers + last.BytesFromPeers,
            CarriedOver.BytesFromOrigin + last.BytesFromOrigin,
            CarriedOver.BytesUploaded + last.BytesUploaded,
            CarriedOver.DeliveredFromPeers + last.DeliveredFromPeers,
            CarriedOver.DeliveredFromOrigin + last.DeliveredFromOrigin);
        Status = NodeStatusReading.None;
        await _node.DisposeAsync();
        _node = null;
    }

    public string? NodeFailure => _node is { HasExited: true } node ? $"{node.Name} exited: {node.Tail}" : null;

    public async ValueTask DisposeAsync()
    {
        await StopWatchingAsync();
        await StopNodeAsync();
    }
}
