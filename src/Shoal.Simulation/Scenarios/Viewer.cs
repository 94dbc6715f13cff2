using System.Net;
using Shoal.Core.Content;
using Shoal.Engine;
using Shoal.Engine.Scheduling;
using Shoal.Engine.Swarming;
using Shoal.Simulation.Packet;

namespace Shoal.Simulation.Scenarios;

/// <summary>
/// One simulated viewer: a real <see cref="Swarm"/> driven exactly as the node drives it (datagrams from the packet
/// network, origin ranges from the <see cref="SimulatedOrigin"/>, the timer), plus a player that starts when its
/// first segment is whole, plays segment after segment in real time, stalls when the next one is missing, seeks, and
/// records the QoS figures of DESIGN.md. It leaves and rejoins as a fresh node at the same address.
/// </summary>
internal sealed class Viewer : IDatagramEngine
{
    private enum PlayerState
    {
        Idle,
        Starting,
        Seeking,
        Playing,
        Stalled,
        Finished,
    }

    private readonly Scenario _scenario;
    private readonly ScenarioContent _content;
    private readonly SimulatedOrigin _origin;
    private readonly PacketNetwork _network;
    private readonly ulong _seed;
    private readonly List<SwarmMetrics> _pastSessions = [];
    private readonly HashSet<long> _verifiedSegments = [];
    private int _session;
    private PlayerState _state;
    private long _segment;
    private Instant _stateSince;
    private Instant _segmentPlayStart;
    private Instant _sessionStart;
    private Instant? _playbackStart;

    public Viewer(int index, IPEndPoint address, Scenario scenario, ScenarioContent content, SimulatedOrigin origin, PacketNetwork network, bool polluter, bool superPeer)
    {
        Index = index;
        Address = address;
        _scenario = scenario;
        _content = content;
        _origin = origin;
        _network = network;
        Polluter = polluter;
        SuperPeer = superPeer;
        _seed = (ulong)(scenario.Seed * 1_000_003L + index * 7_919L + 1);
    }

    public int Index { get; }

    public IPEndPoint Address { get; }

    public bool Polluter { get; }

    public bool SuperPeer { get; }

    public Swarm? Swarm { get; private set; }

    public bool Active { get; private set; }

    public List<double> Startups { get; } = [];

    public List<double> Seeks { get; } = [];

    public List<double> Lags { get; } = [];

    public List<double> Completions { get; } = [];

    public double StallSeconds { get; private set; }

    public int Stalls { get; private set; }

    /// <summary>Every stall after start-up, as it ended.</summary>
    public List<StallRecord> StallLog { get; } = [];

    public double WatchedSeconds { get; private set; }

    public long CorruptBytesDelivered { get; private set; }

    /// <summary>Segments delivered to this viewer's player, over all its sessions.</summary>
    public HashSet<long> DeliveredSegments { get; } = [];

    /// <summary>Addresses this viewer banned (for the polluter checks).</summary>
    public HashSet<IPEndPoint> Banned { get; } = [];

    /// <summary>Every session's metrics, the current one last.</summary>
    public IEnumerable<SwarmMetrics> AllMetrics => Swarm is null ? _pastSessions : _pastSessions.Append(Swarm.Metrics);

    // ---- Scenario actions ----

    public void Join(Instant now, IEnumerable<IPEndPoint> peers, int swarmSize)
    {
        _session++;
        var settings = SchedulerSettings.Default with
        {
            LagBehindLive = TimeSpan.FromSeconds(_scenario.LagSeconds),
            OriginShareLimit = _scenario.OriginShareLimit,
        };
        var options = new SwarmOptions(_content.Rid)
        {
            Scheduler = settings,
            Membership = Engine.Peers.MembershipSettings.Default with { MaxNeighbours = _scenario.MaxNeighbours },
            SuperPeer = SuperPeer,
            NodeSeed = _seed * 31 + (ulong)_session,
            FileByteRate = _scenario.FileRateKbps * 1000 / 8,
            CorruptUploads = Polluter,
        };
        Swarm = new Swarm(options, new Random((int)(_seed % int.MaxValue) + _session), now);
        Active = true;
        _verifiedSegments.Clear();
        _sessionStart = now;
        _playbackStart = null;
        Swarm.SetManifest(now, _content.ManifestAt(now.TotalSeconds));
        Swarm.SetSwarmSize(swarmSize);
        foreach (var peer in peers) Swarm.AddCandidate(peer);

        var start = _scenario.Kind == ScenarioKind.Live
            ? Swarm.SegmentAt(Swarm.LiveStartPosition) ?? 0
            : 0;
        _segment = start;
        _state = PlayerState.Starting;
        _stateSince = now;
        var position = Swarm.MediaStartOf(start) ?? 0;
        Swarm.SetPlayback(now, position, _scenario.Kind == ScenarioKind.File ? 1 : 0);
        AfterInput(now);
    }

    public void Leave(Instant now)
    {
        if (Swarm is null || !Active) return;
        CloseSession(now);
        Swarm.Stop();
        var session = _session;
        // Let the closing handshakes go out, then fall silent.
        _network.Schedule(now + TimeSpan.FromMilliseconds(1), () =>
        {
            if (_session != session) return;
            Active = false;
            _pastSessions.Add(Swarm.Metrics);
            Swarm = null;
        });
    }

    /// <summary>The end of the run: the session's watch time is counted.</summary>
    public void Finish(Instant now)
    {
        if (Swarm is not null && Active) CloseSession(now);
    }

    public void UpdateManifest(Instant now, int swarmSize)
    {
        if (Swarm is null || !Active) return;
        Swarm.SetSwarmSize(swarmSize);
        Swarm.SetManifest(now, _content.ManifestAt(now.TotalSeconds));
        AfterInput(now);
    }

    public void Seek(Instant now, double fraction)
    {
        if (Swarm is null || !Active || _state is PlayerState.Idle or PlayerState.Starting or PlayerState.Finished) return;
        if (_state == PlayerState.Stalled) EndStall(now);
        var count = _content.Segments.Count;
        var target = Math.Clamp((long)(fraction * count), 0, count - 1);
        _segment = target;
        _state = PlayerState.Seeking;
        _stateSince = now;
        Swarm.SetPlayback(now, Swarm.MediaStartOf(target) ?? 0, 0);
        AfterInput(now);
    }

    // ---- IDatagramEngine ----

    public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        if (Swarm is null || !Active) return;
        Swarm.Receive(now, from, datagram);
        AfterInput(now);
    }

    public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length)
    {
        if (Swarm is not null && Active) return Swarm.TryPollTransmit(now, buffer, out to, out length);
        to = null!;
        length = 0;
        return false;
    }

    public Instant? NextWakeUp =>
        Swarm is null || !Active ? null : Instant.Earliest(Swarm.NextWakeUp, _state == PlayerState.Playing ? SegmentEnd : null);

    public void WakeUp(Instant now)
    {
        if (Swarm is null || !Active) return;
        Swarm.WakeUp(now);
        AfterInput(now);
    }

    // ---- The driver's polling order (Swarm's class comment) ----

    private void AfterInput(Instant now)
    {
        var swarm = Swarm!;
        UpdatePlayer(now);
        while (swarm.TryPollEvent(out var e))
        {
            if (e.Kind == SwarmEventKind.PeerBanned && e.Peer is { } banned) Banned.Add(banned);
            if (e.Kind == SwarmEventKind.SegmentVerified) OnSegmentVerified(now, e.Piece.SegmentSequence);
        }
        var session = _session;
        while (swarm.TryPollOriginRequest(out var request))
        {
            var (at, response) = _origin.Serve(now, request);
            _network.Schedule(at, () =>
            {
                if (_session != session || Swarm is null || !Active) return;
                Swarm.OriginCompleted(_network.Now, response);
                AfterInput(_network.Now);
            });
        }
    }

    private void OnSegmentVerified(Instant now, long sequence)
    {
        if (_scenario.Kind != ScenarioKind.File || !_verifiedSegments.Add(sequence)) return;
        Deliver(sequence);
        // A download's playhead is the end of its whole prefix, moving at the target rate from when it got there.
        if (sequence == _segment)
        {
            while (_verifiedSegments.Contains(_segment)) _segment++;
            if (Swarm!.MediaStartOf(_segment) is { } prefix) Swarm.SetPlayback(now, prefix, 1);
        }
        if (_verifiedSegments.Count == _content.Segments.Count)
        {
            Completions.Add((now - _sessionStart).TotalSeconds);
            _state = PlayerState.Finished;
        }
    }

    private Instant? SegmentEnd =>
        Swarm?.MediaStartOf(_segment) is not null
            ? _segmentPlayStart + TimeSpan.FromSeconds(_scenario.SegmentSeconds)
            : null;

    private void UpdatePlayer(Instant now)
    {
        var swarm = Swarm!;
        if (_scenario.Kind == ScenarioKind.File) return;
        for (var guard = 0; guard < 1000; guard++)
        {
            switch (_state)
            {
                case PlayerState.Starting or PlayerState.Seeking or PlayerState.Stalled:
                    if (!swarm.IsSegmentComplete(_segment)) return;
                    if (_state == PlayerState.Starting)
                    {
                        Startups.Add((now - _stateSince).TotalSeconds);
                        _playbackStart = now;
                    }
                    else if (_state == PlayerState.Seeking) Seeks.Add((now - _stateSince).TotalSeconds);
                    else EndStall(now);
                    StartSegment(now, now);
                    continue;
                case PlayerState.Playing:
                    if (SegmentEnd is not { } end || now < end) return;
                    var next = _segment + 1;
                    if (swarm.MediaStartOf(next) is null && _scenario.Kind == ScenarioKind.Vod && next >= _content.Segments.Count)
                    {
                        _state = PlayerState.Finished;
                        return;
                    }
                    _segment = next;
                    if (swarm.IsSegmentComplete(next))
                    {
                        StartSegment(now, end);
                        continue;
                    }
                    _state = PlayerState.Stalled;
                    _stateSince = end;
                    Stalls++;
                    swarm.ReportStall();
                    swarm.SetPlayback(now, swarm.MediaStartOf(next) ?? 0, 0);
                    return;
                default:
                    return;
            }
        }
    }

    private void StartSegment(Instant now, Instant at)
    {
        var swarm = Swarm!;
        Deliver(_segment);
        if (_scenario.Kind == ScenarioKind.Live) Lags.Add(at.TotalSeconds - _content.PublishedAt(_segment));
        _segmentPlayStart = at;
        _state = PlayerState.Playing;
        var position = (swarm.MediaStartOf(_segment) ?? 0) + (now - at).TotalSeconds;
        swarm.SetPlayback(now, position, 1);
    }

    private void EndStall(Instant now)
    {
        StallLog.Add(new StallRecord(Index, _segment, _content.PublishedAt(_segment), _stateSince.TotalSeconds, now.TotalSeconds));
        StallSeconds += (now - _stateSince).TotalSeconds;
        _stateSince = now;
    }

    private void Deliver(long sequence)
    {
        var swarm = Swarm!;
        if (!swarm.TryReadSegment(sequence, out var bytes)) return;
        swarm.DeliverToPlayer(sequence);
        DeliveredSegments.Add(sequence);
        var truth = _content.TrueBytes(sequence);
        if (!bytes.Span.SequenceEqual(truth)) CorruptBytesDelivered += bytes.Length;
    }

    private void CloseSession(Instant now)
    {
        if (_state == PlayerState.Stalled) EndStall(now);
        if (_playbackStart is { } started) WatchedSeconds += (now - started).TotalSeconds;
        _playbackStart = null;
        _state = PlayerState.Idle;
    }
}
