using System.Net;
using Shoal.Core.Content;
using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;
using Shoal.Engine.Channels;
using Shoal.Engine.Peers;
using Shoal.Engine.Scheduling;
using Shoal.Engine.Storage;
using Shoal.Engine.Uploading;
using Shoal.Protocol;

namespace Shoal.Engine.Swarming;

/// <summary>
/// One node's swarm for one resource, sans-IO (CONVENTIONS.md §1): it owns the neighbour set, the piece store, the P2SP
/// scheduler, choking and the hostile-peer policy, speaks RFC 7574 through a <see cref="ChannelTable"/> of
/// <see cref="PeerChannel"/>s, asks the driver for origin ranges, and hands the player verified bytes only.
/// </summary>
/// <remarks>
/// <para>Members, in quinn-proto's four groups:</para>
/// <list type="bullet">
/// <item><b>Getters</b>: <see cref="Rid"/>, <see cref="Metrics"/>, <see cref="Timeline"/>-derived
/// <see cref="MediaStartOf"/>/<see cref="LiveEdge"/>, <see cref="IsSegmentComplete"/>, <see cref="TryReadSegment"/>,
/// <see cref="ReadPiece"/>, <see cref="NeighbourCount"/>.</item>
/// <item><b>Inputs</b>: <see cref="Receive"/> (a datagram), <see cref="WakeUp"/> (the timer), <see cref="OriginCompleted"/>
/// (an origin range finished or failed).</item>
/// <item><b>Commands</b>: <see cref="SetManifest"/> (first manifest and every verified live update),
/// <see cref="SetPlayback"/> (the player's position and rate; a seek is a new position), <see cref="AddCandidate"/>
/// (peers from the tracker, DHT or PEX), <see cref="SetSwarmSize"/>, <see cref="DeliverToPlayer"/>,
/// <see cref="ReportStall"/>, <see cref="Preload"/>, <see cref="Stop"/>.</item>
/// <item><b>Outputs</b>: <see cref="TryPollTransmit"/> (datagrams), <see cref="TryPollOriginRequest"/> (HTTP ranges),
/// <see cref="TryPollEvent"/> (verified pieces for a gateway to stream, neighbours come and gone), <see cref="NextWakeUp"/>.</item>
/// </list>
/// <para>Driver's polling order, after every input or command: (1) drain <see cref="TryPollEvent"/> and act on it (a
/// gateway streams newly verified pieces); (2) drain <see cref="TryPollOriginRequest"/> and start those HTTP requests
/// (their answers come back later through <see cref="OriginCompleted"/>); (3) drain <see cref="TryPollTransmit"/> onto
/// the socket; (4) arm one timer for <see cref="NextWakeUp"/>. Polling out of order only delays work to the next round.</para>
/// <para>The manifest given to <see cref="SetManifest"/> must already be signature-checked (Core's
/// <see cref="SignedManifest"/>/<see cref="LiveManifestFollower"/>); every piece is then checked against its segment's
/// Merkle root before the player or any peer sees it. One swarm owns one channel table, so one UDP socket per resource.</para>
/// </remarks>
public sealed class Swarm : IDatagramEngine
{
    private readonly SwarmOptions _options;
    private readonly SchedulerSettings _settings;
    private readonly ChannelTable _table;
    private readonly SwarmHandshake _handshake;
    private readonly PieceScheduler _scheduler;
    private readonly Membership _membership;
    private readonly PeerPolicy _policy;
    private readonly Unchoker _unchoker;
    private readonly TokenBucket _uploadBucket;
    private readonly SegmentTimeline _timeline;
    private readonly SwarmAvailability _availability;
    private readonly Holdings _holdings;
    private readonly Dictionary<long, SegmentStore> _store = [];
    private readonly Dictionary<IPEndPoint, NeighbourId> _ids = [];
    private readonly Dictionary<NeighbourId, (IPEndPoint Address, bool SuperPeer)> _addresses = [];
    private readonly Dictionary<NeighbourId, Neighbour> _neighbours = [];
    private readonly Dictionary<PeerChannel, Neighbour> _byChannel = [];
    private readonly Queue<OriginRange> _originQueue = new();
    private readonly Dictionary<long, OriginRange> _originInFlight = [];
    private readonly HashSet<long> _probes = [];
    private readonly Queue<SwarmEvent> _events = new();
    private readonly HashSet<long> _deliveredSegments = [];
    private readonly Dictionary<long, (long FromPeers, long FromOrigin)> _sources = [];
    private Manifest? _manifest;
    private Playhead? _playhead;
    private Instant _nextTick;
    private Instant _nextMaintenance;
    private Instant _lastPlan;
    private bool _planSoon;
    private Instant _nextOriginProbe;
    private int _swarmSize = 1;
    private int _originFailures;
    private int _uploadCursor;
    private int _uploadsQueued;
    private readonly List<Neighbour> _uploadScratch = [];
    private bool _stopped;
    private bool _playbackStarted;

    /// <param name="options">The resource and every strategy's settings.</param>
    /// <param name="random">The driver's seeded source (channel ids, the optimistic unchoke).</param>
    /// <param name="now">The driver's current instant.</param>
    public Swarm(SwarmOptions options, Random random, Instant now)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        _options = options;
        _settings = options.Scheduler;
        _handshake = new SwarmHandshake(options.Rid);
        _table = new ChannelTable(options.Channels, random, Accept);
        _scheduler = new PieceScheduler(_settings);
        _membership = new Membership(options.Membership);
        _policy = new PeerPolicy(options.PeerPolicy);
        _unchoker = new Unchoker(options.Upload, options.SuperPeer, random);
        _uploadBucket = new TokenBucket(options.Upload.LimitBytesPerSecond, options.Upload.Burst, now);
        _timeline = new SegmentTimeline(options.FileByteRate);
        _availability = new SwarmAvailability(s => _timeline[s]?.PieceCount);
        _holdings = new Holdings(this);
        _nextTick = now;
    }


    // ---- Getters ----

    public Rid Rid => _options.Rid;

    public SwarmMetrics Metrics { get; } = new();

    public int NeighbourCount => _neighbours.Values.Count(n => n.Opened);

    /// <summary>The newest segment's end on this node's media timeline (seconds): the live edge.</summary>
    public double LiveEdge => _timeline.End;

    /// <summary>Where the player should start a live stream: <see cref="SchedulerSettings.LagBehindLive"/> behind the edge.</summary>
    public double LiveStartPosition => Math.Max(0, _timeline.End - _settings.LagBehindLive.TotalSeconds);

    /// <summary>Where segment <paramref name="sequence"/> starts on the media timeline, or null if unknown.</summary>
    public double? MediaStartOf(long sequence) => _timeline[sequence]?.MediaStart;

    /// <summary>The segment playing at <paramref name="mediaSeconds"/>, or null.</summary>
    public long? SegmentAt(double mediaSeconds) => _timeline.At(mediaSeconds)?.Sequence;

    public bool IsSegmentComplete(long sequence) => _store.TryGetValue(sequence, out var s) && s.IsComplete;

    /// <summary>How many neighbours announced <paramref name="piece"/> (a driver may wait for a holder before reading).</summary>
    public int HolderCount(PieceId piece) => _availability.HolderCount(piece);

    /// <summary>A verified piece's bytes, or empty when it is not (yet) verified: a gateway streams these as they come.</summary>
    public ReadOnlyMemory<byte> ReadPiece(PieceId piece) =>
        _store.TryGetValue(piece.SegmentSequence, out var s) && (uint)piece.PieceIndex < (uint)s.Layout.PieceCount
            ? s.Piece(piece.PieceIndex)
            : ReadOnlyMemory<byte>.Empty;

    /// <summary>A whole verified segment, if every piece is verified.</summary>
    public bool TryReadSegment(long sequence, out ReadOnlyMemory<byte> bytes)
    {
        bytes = _store.TryGetValue(sequence, out var s) ? s.Bytes : ReadOnlyMemory<byte>.Empty;
        return !bytes.IsEmpty || (s is not null && s.IsComplete);
    }

    // ---- Commands ----

    /// <summary>The resource's manifest, first or updated (a live one grows and slides). It must be signature-checked.</summary>
    public void SetManifest(Instant now, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Rid != _options.Rid) throw new ArgumentException("The manifest is for another resource.", nameof(manifest));
        _manifest = manifest;
        if (_timeline.Update(manifest) > 0) _planSoon = true;
        Process(now);
    }

    /// <summary>The player is at <paramref name="mediaSeconds"/> on the media timeline, moving at <paramref name="rate"/> (0 when paused or stalled).</summary>
    public void SetPlayback(Instant now, double mediaSeconds, double rate)
    {
        _playhead = new Playhead(now, mediaSeconds, rate);
        _playbackStarted |= rate > 0;
        _planSoon = true;
        Process(now);
    }

    /// <summary>A peer to consider as a neighbour (from the tracker, the DHT or PEX).</summary>
    public void AddCandidate(IPEndPoint peer, bool superPeer = false)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var id = IdOf(peer, superPeer);
        _membership.AddCandidate(id, superPeer);
    }

    /// <summary>How many nodes watch this resource (from the tracker's scrape); sizes the origin seeding share.</summary>
    public void SetSwarmSize(int nodes) => _swarmSize = Math.Max(1, nodes);

    /// <summary>The player took a whole segment: counted once in <see cref="SwarmMetrics.BytesToPlayer"/>.</summary>
    public void DeliverToPlayer(long sequence)
    {
        if (_store.TryGetValue(sequence, out var s) && s.IsComplete && _deliveredSegments.Add(sequence))
            Metrics.BytesToPlayer += s.Layout.Length;
    }

    /// <summary>
    /// How many of a segment's verified bytes came from peers and how many from the origin: each piece is counted
    /// once, by the source that delivered the copy that passed verification, so the two add up to what is held.
    /// </summary>
    public (long FromPeers, long FromOrigin) SourcesOf(long sequence) => _sources.GetValueOrDefault(sequence);

    /// <summary>The player had to wait for data after start-up.</summary>
    public void ReportStall() => Metrics.Stalls++;

    /// <summary>The node leaves: every channel closes (peers are told) and nothing more is scheduled.</summary>
    public void Stop()
    {
        _stopped = true;
        foreach (var n in _neighbours.Values) n.Channel.Close();
    }

    // ---- Inputs ----

    public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        _table.Receive(now, from, datagram);
        Process(now);
    }

    public void WakeUp(Instant now)
    {
        _table.WakeUp(now);
        Process(now);
    }

    /// <summary>An origin range finished (or failed).</summary>
    public void OriginCompleted(Instant now, OriginResponse response)
    {
        _originInFlight.Remove(response.Id, out var sent);
        if (response.Succeeded && _scheduler.Book.OriginSentAt(response.Id) is { } sentAt) _scheduler.Origin.Answered(now - sentAt);
        // A probe was never booked (see Plan), so its answer is matched to the range as it was sent.
        var range = _scheduler.Book.CompleteOrigin(response.Id) ?? (_probes.Remove(response.Id) ? sent : null);
        if (range is null) return;
        if (!response.Succeeded || response.Body.Length != range.Length)
        {
            // Until a range succeeds again the origin counts as failing: urgent pieces race on the neighbours, and one
            // range at a time probes the origin, so an outage is not hammered and its end is noticed within a probe.
            // Probes pace themselves from when they are sent, so a slow failure does not push the next one back.
            if (_originFailures++ == 0) _nextOriginProbe = now + _options.OriginRetryDelay;
            _planSoon = true;
            Process(now);
            return;
        }
        _originFailures = 0;
        Metrics.BytesFromOrigin += response.Body.Length;
        if (_store.TryGetValue(range.Segment, out var store))
        {
            var verified = store.AddOriginBytes(range.Offset, response.Body.Span, out var rejected);
            foreach (var bad in rejected) Metrics.CorruptBytesRejected += store.Layout.PieceLength(bad);
            foreach (var piece in verified)
            {
                Tally(range.Segment, fromPeers: 0, fromOrigin: store.Layout.PieceLength(piece));
                OnPieceVerified(now, store, piece);
            }
        }
        _planSoon = true;
        Process(now);
    }

    /// <summary>
    /// Bytes of a whole segment the driver already holds (fetched directly from the origin when the swarm was not ready,
    /// or read back from a finished download): verified against the manifest's root like origin bytes, then announced
    /// and served to peers. Counted as origin bytes of the segment for <see cref="SourcesOf"/>, not in
    /// <see cref="SwarmMetrics.BytesFromOrigin"/> (the driver fetched them, outside the swarm). Returns the pieces newly
    /// verified; bytes that do not match the manifest are dropped.
    /// </summary>
    public int Preload(Instant now, long sequence, ReadOnlySpan<byte> segment)
    {
        EnsureStores();
        if (_stopped || !_store.TryGetValue(sequence, out var store) || segment.Length != store.Layout.Length) return 0;
        var verified = store.AddOriginBytes(0, segment, out var rejected);
        foreach (var bad in rejected) Metrics.CorruptBytesRejected += store.Layout.PieceLength(bad);
        foreach (var piece in verified)
        {
            Tally(sequence, fromPeers: 0, fromOrigin: store.Layout.PieceLength(piece));
            OnPieceVerified(now, store, piece);
        }
        Process(now);
        return verified.Count;
    }

    // ---- Outputs ----

    public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length) =>
        _table.TryPollTransmit(now, buffer, out to, out length);

    public bool TryPollOriginRequest(out OriginRequest request)
    {
        while (_originQueue.TryDequeue(out var range))
        {
            if (_timeline.Entry(range.Segment) is not { } entry)
            {
                _scheduler.Book.CompleteOrigin(range.Id);
                _probes.Remove(range.Id);
                continue;
            }
            _originInFlight[range.Id] = range;
            Metrics.OriginRequests++;
            if (range.Urgent) Metrics.UrgentOriginRequests++;
            request = new OriginRequest(range.Id, entry.Uri, (entry.Offset ?? 0) + range.Offset, range.Length, range.Urgent);
            return true;
        }
        request = default;
        return false;
    }

    public bool TryPollEvent(out SwarmEvent e) => _events.TryDequeue(out e);

    public Instant? NextWakeUp => _stopped ? _table.NextWakeUp : Instant.Earliest(_table.NextWakeUp, _nextTick);

    // ---- The engine ----

    private void Process(Instant now)
    {
        while (_table.TryPollAccepted(out var accepted)) OnAccepted(now, accepted);
        // The table only drops finished channels while it transmits or wakes, never while we drain.
        var channels = _table.Channels;
        for (var i = 0; i < channels.Count; i++) Drain(now, channels[i]);
        if (_stopped) return;

        var tick = now >= _nextTick;
        if (tick)
        {
            _nextTick = now + _options.TickInterval;
            if (now >= _nextMaintenance)
            {
                _nextMaintenance = now + _options.MaintenanceInterval;
                Maintain(now);
            }
        }
        if ((tick || _planSoon) && now - _lastPlan >= _options.MinimumPlanInterval) Plan(now);
        PumpUploads(now);
    }

    private SwarmHandshake? Accept(InboundHandshake inbound)
    {
        if (_stopped || inbound.SwarmId != _options.Rid) return null;
        if (_ids.TryGetValue(inbound.Remote, out var id) && _membership.IsBanned(id)) return null;
        return _handshake;
    }

    private void OnAccepted(Instant now, PeerChannel channel)
    {
        var id = IdOf(channel.Remote, superPeer: false);
        // A peer that handshakes again from the same address restarted: its old channel is dead.
        if (!_stopped && _neighbours.TryGetValue(id, out var stale) && !_membership.IsBanned(id))
        {
            stale.Channel.Close();
            Detach(now, stale, ChannelCloseReason.ClosedByPeer);
        }
        if (_stopped || !_membership.Connected(id, now))
        {
            channel.Close();
            return;
        }
        Attach(id, channel);
    }

    private void Attach(NeighbourId id, PeerChannel channel)
    {
        var neighbour = new Neighbour(id, channel, _addresses[id].SuperPeer);
        _neighbours[id] = neighbour;
        _byChannel[channel] = neighbour;
    }

    private void Drain(Instant now, PeerChannel channel)
    {
        if (!_byChannel.TryGetValue(channel, out var neighbour)) return;
        if (!neighbour.Opened && channel.State == ChannelState.Open)
        {
            neighbour.Opened = true;
            Emit(SwarmEventKind.NeighbourConnected, now, default, channel.Remote);
            AnnounceAll(neighbour);
        }
        while (channel.TryPollMessage(out var message)) OnMessage(now, neighbour, message);
        if (channel.State == ChannelState.Closed) Detach(now, neighbour, channel.CloseReason);
    }

    private void Detach(Instant now, Neighbour neighbour, ChannelCloseReason reason)
    {
        if (!_neighbours.Remove(neighbour.Id)) return;
        _byChannel.Remove(neighbour.Channel);
        ClearUploads(neighbour);
        _availability.RemoveNeighbour(neighbour.Id);
        _scheduler.Book.RemoveNeighbour(neighbour.Id);
        _unchoker.Forget(neighbour.Id);
        if (reason is ChannelCloseReason.HandshakeTimedOut or ChannelCloseReason.Rejected or ChannelCloseReason.VersionMismatch && !neighbour.Opened)
            _membership.ConnectFailed(neighbour.Id);
        else
            _membership.Disconnected(neighbour.Id);
        if (neighbour.Opened) Emit(SwarmEventKind.NeighbourLost, now, default, neighbour.Channel.Remote);
        _planSoon = true;
    }

    private void OnMessage(Instant now, Neighbour neighbour, ReceivedMessage message)
    {
        switch (message.Type)
        {
            case MessageType.Have:
                OnHave(neighbour, message.Chunks);
                break;
            case MessageType.Request:
                OnRequest(now, neighbour, message.Chunks);
                break;
            case MessageType.Cancel:
                OnCancel(neighbour, message.Chunks);
                break;
            case MessageType.Integrity:
                OnIntegrity(neighbour, message.Chunks, message.Payload.Span);
                break;
            case MessageType.Data:
                OnData(now, neighbour, message.Chunks, message.Payload.Span);
                break;
            case MessageType.Choke:
                neighbour.ChokingUs = true;
                _scheduler.Book.RemoveNeighbour(neighbour.Id);
                _planSoon = true;
                break;
            case MessageType.Unchoke:
                neighbour.ChokingUs = false;
                _planSoon = true;
                break;
            case MessageType.PexResV4 or MessageType.PexResV6 when message.Peer is { } peer:
                AddCandidate(peer);
                break;
            default:
                break;
        }
    }

    // ---- Availability ----

    private void OnHave(Neighbour neighbour, ChunkSpec chunks)
    {
        foreach (var (segment, first, last) in PiecesCovered(chunks))
            if (_availability.AddHave(neighbour.Id, segment, first, last) > 0) _planSoon = true;
    }

    /// <summary>The whole pieces a chunk range covers, per segment (RFC 7574 chunk ranges may span segment slots).</summary>
    private List<(long Segment, int First, int Last)> PiecesCovered(ChunkSpec chunks)
    {
        var result = new List<(long, int, int)>();
        if (chunks.End < chunks.Start || chunks.End > uint.MaxValue || _timeline.LastSequence is not { } reference) return result;
        var firstSlot = chunks.Start >> ChunkAddressing.SegmentSlotBits;
        var lastSlot = chunks.End >> ChunkAddressing.SegmentSlotBits;
        for (var slot = firstSlot; slot <= lastSlot; slot++)
        {
            var segment = ChunkAddressing.SequenceNearest((uint)slot, reference);
            if (_timeline[segment] is not { } timing) continue;
            var slotStart = slot << ChunkAddressing.SegmentSlotBits;
            var localStart = (long)(Math.Max(chunks.Start, slotStart) - slotStart);
            var localEnd = (long)(Math.Min(chunks.End, slotStart + ChunkAddressing.SegmentSlotChunks - 1) - slotStart);
            var chunksPerPiece = timing.PieceSize / ChunkAddressing.ChunkSize;
            var chunkCount = ChunkAddressing.ChunkCount(timing.Length);
            var first = (int)((localStart + chunksPerPiece - 1) / chunksPerPiece);
            var last = (int)Math.Min(timing.PieceCount - 1, ((localEnd + 1) / chunksPerPiece) - 1);
            // The last piece may be short: covered once the range reaches the segment's last chunk.
            if (localEnd >= chunkCount - 1) last = timing.PieceCount - 1;
            if (first <= last) result.Add((segment, first, last));
        }
        return result;
    }

    private ChunkSpec ChunksOf(PieceId piece, int count = 1)
    {
        var timing = _timeline[piece.SegmentSequence]!;
        var chunksPerPiece = timing.PieceSize / ChunkAddressing.ChunkSize;
        var firstChunk = piece.PieceIndex * chunksPerPiece;
        var lastPiece = piece.PieceIndex + count - 1;
        var lastChunk = (int)Math.Min((long)(lastPiece + 1) * chunksPerPiece, ChunkAddressing.ChunkCount(timing.Length)) - 1;
        return new ChunkSpec(
            ChunkAddressing.GlobalChunk(piece.SegmentSequence, firstChunk),
            ChunkAddressing.GlobalChunk(piece.SegmentSequence, lastChunk));
    }

    private void AnnounceAll(Neighbour neighbour)
    {
        foreach (var store in _store.Values.OrderBy(s => s.Sequence))
        {
            var verified = store.Verified;
            for (var first = verified.FirstSet(); first >= 0;)
            {
                var end = verified.FirstMissing(first);
                var last = end < 0 ? verified.PieceCount - 1 : end - 1;
                neighbour.Channel.SendHave(ChunksOf(new PieceId(store.Sequence, first), last - first + 1));
                first = end < 0 ? -1 : verified.FirstSet(end);
            }
        }
    }

    // ---- Download ----

    private void OnIntegrity(Neighbour neighbour, ChunkSpec chunks, ReadOnlySpan<byte> hash)
    {
        var count = chunks.End - chunks.Start + 1;
        if (chunks.End < chunks.Start || (count & (count - 1)) != 0 || chunks.Start % count != 0 || count > ChunkAddressing.SegmentSlotChunks) return;
        if (_timeline.LastSequence is not { } reference) return;
        var (slot, localFirst) = ChunkAddressing.Split((uint)chunks.Start);
        var segment = ChunkAddressing.SequenceNearest(slot, reference);
        if (_timeline[segment] is not { } timing || hash.Length > Digest.MaxLength) return;
        var layer = System.Numerics.BitOperations.Log2(count);
        var bin = Bin.FromLayerOffset(layer, localFirst >> layer);
        // A hash already verified here needs no copy; the rest are bounded by the segment's own tree (Neighbour).
        if (_store.TryGetValue(segment, out var store) && store.Knows(bin)) return;
        neighbour.RememberUncle(segment, timing.PieceCount, bin, new Digest(hash));
    }

    private void OnData(Instant now, Neighbour neighbour, ChunkSpec chunks, ReadOnlySpan<byte> payload)
    {
        if (chunks.Start != chunks.End || chunks.Start > uint.MaxValue || _timeline.LastSequence is not { } reference) return;
        var (slot, chunkInSegment) = ChunkAddressing.Split((uint)chunks.Start);
        var segment = ChunkAddressing.SequenceNearest(slot, reference);
        if (!_store.TryGetValue(segment, out var store)) return;
        var chunksPerPiece = store.Layout.ChunksPerPiece;
        var piece = new PieceId(segment, chunkInSegment / chunksPerPiece);
        if ((uint)piece.PieceIndex >= (uint)store.Layout.PieceCount) return;
        neighbour.Download.Add(now, payload.Length);
        if (store.Verified[piece.PieceIndex])
        {
            Metrics.DuplicateBytes += payload.Length;
            return;
        }
        if (!neighbour.Assemblies.TryGetValue(piece, out var assembly))
        {
            // Only pieces we asked this neighbour for are assembled; anything else is unsolicited.
            if (!_scheduler.Book.IsRequestedFrom(piece, neighbour.Id))
            {
                Metrics.DuplicateBytes += payload.Length;
                return;
            }
            neighbour.Assemblies[piece] = assembly = new PieceAssembly(store.Layout.PieceLength(piece.PieceIndex), ChunkAddressing.ChunkSize);
        }
        if (!assembly.Add(chunkInSegment % chunksPerPiece, payload) || !assembly.IsComplete) return;
        neighbour.Assemblies.Remove(piece);

        var check = store.AddPeerPiece(piece.PieceIndex, assembly.Buffer, neighbour.UnclesOf(segment), out _);
        switch (check)
        {
            case PieceCheck.Verified:
                foreach (var request in _scheduler.Book.For(piece))
                    if (request.Neighbour == neighbour.Id) neighbour.Delivered(now, request.Sent, assembly.Buffer.Length);
                neighbour.BytesFromThem += assembly.Buffer.Length;
                Metrics.BytesFromPeers += assembly.Buffer.Length;
                Tally(segment, fromPeers: assembly.Buffer.Length, fromOrigin: 0);
                _policy.Delivered(neighbour.Id);
                _scheduler.Book.Remove(piece, neighbour.Id);
                OnPieceVerified(now, store, piece.PieceIndex);
                if (!store.Pending.IsEmpty)
                {
                    var retried = store.RetryPending(out var rejected);
                    foreach (var index in retried) OnPieceVerified(now, store, index);
                    foreach (var bad in rejected) Metrics.CorruptBytesRejected += store.Layout.PieceLength(bad);
                }
                break;
            case PieceCheck.Corrupt:
                Metrics.CorruptBytesRejected += assembly.Buffer.Length;
                Act(now, neighbour, _policy.BadPiece(neighbour.Id));
                break;
            default:
                _scheduler.Book.Remove(piece, neighbour.Id);
                _planSoon = true;
                break;
        }
    }

    private void Tally(long segment, long fromPeers, long fromOrigin)
    {
        var (peers, origin) = _sources.GetValueOrDefault(segment);
        _sources[segment] = (peers + fromPeers, origin + fromOrigin);
    }

    private void OnPieceVerified(Instant now, SegmentStore store, int index)
    {
        var piece = new PieceId(store.Sequence, index);
        foreach (var other in _scheduler.PieceCompleted(piece))
        {
            if (!_neighbours.TryGetValue(other, out var n)) continue;
            n.Channel.SendCancel(ChunksOf(piece));
            n.Assemblies.Remove(piece);
        }
        if (_playbackStarted && _playhead is { } playhead && _timeline[store.Sequence] is { } timing && playhead.DeadlineOf(timing.MediaTimeOf(index), now) <= now)
            Metrics.PiecesLate++;
        var have = ChunksOf(piece);
        foreach (var n in _neighbours.Values)
            if (n.Opened) n.Channel.SendHave(have);
        Emit(SwarmEventKind.PieceVerified, now, piece, null);
        if (store.IsComplete) Emit(SwarmEventKind.SegmentVerified, now, new PieceId(store.Sequence, 0), null);
        _planSoon = true;
    }

    // ---- Upload ----

    private void OnRequest(Instant now, Neighbour neighbour, ChunkSpec chunks)
    {
        neighbour.LastRequestFromThem = now;
        if (!_policy.Request(neighbour.Id, now))
        {
            Act(now, neighbour, _policy.VerdictOf(neighbour.Id));
            return;
        }
        if (neighbour.ChokedByUs) return;
        foreach (var (segment, first, last) in PiecesCovered(chunks))
        {
            if (!_store.TryGetValue(segment, out var store)) continue;
            for (var i = first; i <= last; i++)
            {
                var piece = new PieceId(segment, i);
                if (!store.Verified[i] || neighbour.UploadSet.Contains(piece) || neighbour.Uploads.Count >= _options.MaxUploadQueuePieces) continue;
                neighbour.Uploads.Enqueue(piece);
                neighbour.UploadSet.Add(piece);
                _uploadsQueued++;
            }
        }
    }

    private void OnCancel(Neighbour neighbour, ChunkSpec chunks)
    {
        foreach (var (segment, first, last) in PiecesCovered(chunks))
            for (var i = first; i <= last; i++)
                neighbour.UploadSet.Remove(new PieceId(segment, i));
        neighbour.Channel.CancelData(chunks);
    }

    private void PumpUploads(Instant now)
    {
        if (_uploadsQueued == 0) return;
        var list = _uploadScratch;
        list.Clear();
        foreach (var n in _neighbours.Values)
            if (n.Opened && n.Uploads.Count > 0 && !n.ChokedByUs) list.Add(n);
        if (list.Count == 0) return;
        var progress = true;
        while (progress)
        {
            progress = false;
            for (var k = 0; k < list.Count; k++)
            {
                var neighbour = list[(_uploadCursor + k) % list.Count];
                if (neighbour.Channel.BytesQueued >= _options.UploadQueueBytesPerChannel) continue;
                if (!neighbour.Uploads.TryPeek(out var piece)) continue;
                if (!neighbour.UploadSet.Contains(piece) || !_store.TryGetValue(piece.SegmentSequence, out var store) || !store.Verified[piece.PieceIndex])
                {
                    Dequeue(neighbour);
                    progress = true;
                    continue;
                }
                var length = store.Layout.PieceLength(piece.PieceIndex);
                if (!_uploadBucket.TryConsume(now, length))
                {
                    _nextTick = Instant.Min(_nextTick, _uploadBucket.AvailableAt(now, length));
                    return;
                }
                Dequeue(neighbour);
                Send(now, neighbour, store, piece.PieceIndex);
                progress = true;
            }
            _uploadCursor = (_uploadCursor + 1) % Math.Max(1, list.Count);
        }
    }

    private void Dequeue(Neighbour neighbour)
    {
        var piece = neighbour.Uploads.Dequeue();
        neighbour.UploadSet.Remove(piece);
        _uploadsQueued--;
    }

    private void ClearUploads(Neighbour neighbour)
    {
        _uploadsQueued -= neighbour.Uploads.Count;
        neighbour.Uploads.Clear();
        neighbour.UploadSet.Clear();
    }

    private void Send(Instant now, Neighbour neighbour, SegmentStore store, int index)
    {
        if (store.UnclesFor(index) is not { } uncles) return;
        foreach (var uncle in uncles)
        {
            var global = ChunkAddressing.ToGlobal(store.Sequence, uncle.Bin);
            neighbour.Channel.SendIntegrity(new ChunkSpec((ulong)global.FirstChunk, (ulong)global.LastChunk), uncle.Hash.ToArray());
        }
        var data = store.Piece(index);
        if (_options.CorruptUploads)
        {
            var copy = data.ToArray();
            copy[0] ^= 0xFF;
            data = copy;
        }
        var firstChunk = index * store.Layout.ChunksPerPiece;
        for (var offset = 0; offset < data.Length; offset += ChunkAddressing.ChunkSize)
        {
            var chunk = ChunkAddressing.GlobalChunk(store.Sequence, firstChunk + (offset / ChunkAddressing.ChunkSize));
            neighbour.Channel.SendData(ChunkSpec.Single(chunk), data.Slice(offset, Math.Min(ChunkAddressing.ChunkSize, data.Length - offset)));
        }
        neighbour.BytesToThem += data.Length;
        neighbour.Upload.Add(now, data.Length);
        Metrics.BytesUploaded += data.Length;
    }

    // ---- Periodic work ----

    private void Maintain(Instant now)
    {
        foreach (var id in _membership.ToConnect())
        {
            if (_neighbours.ContainsKey(id) || !_addresses.TryGetValue(id, out var peer))
            {
                _membership.ConnectFailed(id);
                continue;
            }
            Attach(id, _table.Connect(now, peer.Address, _handshake));
        }

        var scores = _neighbours.Values.Where(n => n.Opened).Select(n => new NeighbourScore(
            n.Id, n.Channel.GetStatistics(now).SmoothedRtt, n.Download.RateAt(now), n.BytesFromThem, n.BytesToThem, n.SuperPeer)).ToList();
        if (_membership.WorstToReplace(now, scores) is { } worst && _neighbours.TryGetValue(worst, out var replaced))
            replaced.Channel.Close();

        if (_unchoker.IsDue(now)) Rechoke(now);
        if (!_scheduler.Book.All.Any(r => r.Neighbour is not null)) SignalInterest();
        DiscardOld();
        RefreshMetrics(now);
    }

    /// <summary>
    /// RFC 7574 has no INTERESTED message: a REQUEST is how a neighbour learns that we want something, and one that
    /// chokes us ignores it but counts us as interested at its next rechoke. The scheduler only asks neighbours that
    /// serve us, so a node whose every holder chokes it would never ask again and never be unchoked (a download's last
    /// pieces waited forever once everyone else had finished). While nothing is asked of anyone, each choking neighbour
    /// that holds a piece we lack is sent one request for it, once a maintenance round.
    /// </summary>
    private void SignalInterest()
    {
        foreach (var n in _neighbours.Values)
            if (n.Opened && n.ChokingUs && FirstWantedFrom(n.Id) is { } piece) n.Channel.SendRequest(ChunksOf(piece));
    }

    private PieceId? FirstWantedFrom(NeighbourId id)
    {
        foreach (var store in _store.Values)
        {
            if (store.IsComplete || _timeline[store.Sequence] is null) continue;
            for (var i = 0; i < store.Layout.PieceCount; i++)
            {
                var key = new PieceId(store.Sequence, i);
                if (!store.Verified[i] && !store.Pending[i] && _availability.Has(id, key)) return key;
            }
        }
        return null;
    }

    private void Rechoke(Instant now)
    {
        var interested = new List<UploadCandidate>();
        foreach (var n in _neighbours.Values.Where(n => n.Opened))
        {
            if (n.LastRequestFromThem is not { } last || now - last > _options.Upload.RechokeInterval * 2) continue;
            TimeSpan? tightest = null;
            if (_playhead is { } playhead)
                foreach (var piece in n.Uploads)
                    if (_timeline[piece.SegmentSequence] is { } t)
                    {
                        var until = playhead.DeadlineOf(t.MediaTimeOf(piece.PieceIndex), now) - now;
                        if (tightest is null || until < tightest) tightest = until;
                    }
            interested.Add(new UploadCandidate(n.Id, tightest, n.Download.RateAt(now)));
        }
        _unchoker.Rechoke(now, interested);
        var wanted = interested.Select(c => c.Id).ToHashSet();
        foreach (var n in _neighbours.Values.Where(n => n.Opened).OrderBy(n => n.Id.Value))
        {
            if (_unchoker.Unchoked.Contains(n.Id))
            {
                if (!n.ChokedByUs) continue;
                n.ChokedByUs = false;
                n.Channel.SendUnchoke();
            }
            else if (wanted.Contains(n.Id) && !n.ChokedByUs)
            {
                // Only neighbours that ask are choked: one that asks nothing yet is served at once when it starts,
                // and judged at the next rechoke.
                n.ChokedByUs = true;
                n.Channel.SendChoke();
                // RFC 7574 §8.12: a choking peer drops the requests it had. Pieces of segments discarded since (a
                // viewer that seeked far on) have no chunks left to cancel.
                foreach (var piece in n.Uploads)
                    if (_timeline[piece.SegmentSequence] is not null) n.Channel.CancelData(ChunksOf(piece));
                ClearUploads(n);
            }
        }
    }

    private void DiscardOld()
    {
        // A download keeps what it has: the file is the point, and its neighbours still need the parts it finished.
        if (_playhead is not { } playhead || _manifest?.Kind == ResourceKind.File) return;
        var keepFrom = playhead.MediaSeconds - _options.RetainBehindPlayhead.TotalSeconds;
        var old = _timeline.All.Where(t => t.MediaEnd < keepFrom).Select(t => t.Sequence).ToList();
        if (old.Count == 0) return;
        var below = old.Max() + 1;
        foreach (var sequence in old)
        {
            _store.Remove(sequence);
            _deliveredSegments.Remove(sequence);
            _sources.Remove(sequence);
        }
        _timeline.DiscardBelow(below);
        _availability.DiscardSegmentsBelow(below);
        _scheduler.Book.DiscardSegmentsBelow(below);
        foreach (var n in _neighbours.Values)
        {
            foreach (var segment in n.Uncles.Keys.Where(s => s < below).ToList()) n.Uncles.Remove(segment);
            foreach (var piece in n.Assemblies.Keys.Where(p => p.SegmentSequence < below).ToList()) n.Assemblies.Remove(piece);
        }
    }

    private void Plan(Instant now)
    {
        // Nothing to plan before the player has a position and a manifest, and such a pass must not count against the
        // minimum interval: it used to hold the first real plan (and so every start-up) back by one tick.
        if (_playhead is not { } playhead || _manifest is null) return;
        _lastPlan = now;
        _planSoon = false;
        EnsureStores();
        var views = new List<NeighbourView>();
        var rtts = new List<TimeSpan>();
        var rates = new List<double>();
        foreach (var n in _neighbours.Values.Where(n => n.Opened))
        {
            var stats = n.Channel.GetStatistics(now);
            var rate = n.ServiceRate;
            views.Add(new NeighbourView(n.Id, stats.SmoothedRtt, rate, n.ChokingUs, _policy.VerdictOf(n.Id) == PeerVerdict.Throttle));
            if (stats.SmoothedRtt is { } rtt) rtts.Add(rtt);
            if (rate > 0) rates.Add(rate);
        }
        var position = playhead.MediaSecondsAt(now);
        var download = _manifest.Kind == ResourceKind.File;
        // A download wants every segment it lacks, wherever its nominal playhead has moved.
        var segments = download ? _timeline.All.ToList() : _timeline.From(position);
        var current = segments.Count > 0 ? segments[0] : null;
        var streamRate = current is { Duration: > 0 } ? current.Length / current.Duration : 0;
        _scheduler.Zones.Adapt(Medians.Of(rtts) ?? _settings.UnmeasuredRtt, Medians.Of(rates) ?? 0, _manifest.PieceSize, rates.Sum(), streamRate);

        var delivered = Metrics.BytesFromPeers + Metrics.BytesFromOrigin;
        var input = new ScheduleInput(
            now, segments, playhead, _holdings, _availability, views,
            Math.Max(_swarmSize, views.Count + 1), _options.SuperPeer, _options.NodeSeed,
            delivered == 0 ? 0 : (double)Metrics.BytesFromOrigin / delivered,
            OriginClosure,
            OriginFailing: _originFailures > 0,
            Download: download);
        var plan = _scheduler.Plan(input);

        foreach (var (id, piece) in plan.Stalled)
        {
            Metrics.RequestStalls++;
            _availability.RemoveHave(id, piece);
            if (_neighbours.TryGetValue(id, out var n))
            {
                n.Assemblies.Remove(piece);
                Act(now, n, _policy.Stalled(id));
            }
        }
        foreach (var (id, piece) in plan.Cancels)
            if (_neighbours.TryGetValue(id, out var n))
            {
                n.Channel.SendCancel(ChunksOf(piece));
                n.Assemblies.Remove(piece);
            }
        foreach (var (id, piece) in plan.Requests)
            if (_neighbours.TryGetValue(id, out var n)) n.Channel.SendRequest(ChunksOf(piece));
        Metrics.EndGameDuplicates += plan.Duplicates;
        foreach (var range in plan.OriginRanges)
        {
            if (_originFailures > 0)
            {
                // The scheduler lists the most urgent range first: it is the probe; the rest wait for the origin to answer.
                // The probe is not booked: its pieces stay free for the neighbours and for the next probe, so a probe
                // that hangs until it fails does not hold the next one back.
                _scheduler.Book.CompleteOrigin(range.Id);
                if (now < _nextOriginProbe) continue;
                _nextOriginProbe = now + _options.OriginRetryDelay;
                _probes.Add(range.Id);
            }
            _originQueue.Enqueue(range);
        }
    }

    private IEnumerable<PieceId> OriginClosure(IReadOnlyList<PieceId> pieces)
    {
        var segment = pieces[0].SegmentSequence;
        if (!_store.TryGetValue(segment, out var store)) return pieces;
        return store.PiecesNeededToVerify(pieces.Select(p => p.PieceIndex)).Select(i => new PieceId(segment, i));
    }

    private void EnsureStores()
    {
        if (_manifest is null) return;
        foreach (var timing in _timeline.All)
        {
            if (_store.ContainsKey(timing.Sequence) || _timeline.Entry(timing.Sequence) is not { } entry) continue;
            _store[timing.Sequence] = new SegmentStore(timing.Sequence, new SegmentLayout(entry.Length, _manifest.PieceSize), _manifest.HashFunction, entry.Root);
        }
    }

    private void Act(Instant now, Neighbour neighbour, PeerVerdict verdict)
    {
        if (verdict is not (PeerVerdict.Ban or PeerVerdict.Drop)) return;
        if (verdict == PeerVerdict.Ban)
        {
            _membership.Ban(neighbour.Id);
            Metrics.PeersBanned++;
            Emit(SwarmEventKind.PeerBanned, now, default, neighbour.Channel.Remote);
        }
        else
        {
            Metrics.PeersDropped++;
            Emit(SwarmEventKind.PeerDropped, now, default, neighbour.Channel.Remote);
        }
        _policy.Forget(neighbour.Id);
        neighbour.Channel.Close();
        Detach(now, neighbour, ChannelCloseReason.ClosedLocally);
    }

    private void RefreshMetrics(Instant now) =>
        Metrics.Neighbours = _neighbours.Values.Where(n => n.Opened).Select(n => new NeighbourMetrics(
            n.Id.Value, n.Download.RateAt(now), n.Upload.RateAt(now), n.Channel.GetStatistics(now).SmoothedRtt,
            n.BytesFromThem, n.BytesToThem, n.ChokingUs, _policy.VerdictOf(n.Id) == PeerVerdict.Throttle)).ToList();

    private NeighbourId IdOf(IPEndPoint address, bool superPeer)
    {
        if (_ids.TryGetValue(address, out var id))
        {
            if (superPeer && !_addresses[id].SuperPeer) _addresses[id] = (address, true);
            return id;
        }
        id = new NeighbourId(_ids.Count + 1);
        _ids[address] = id;
        _addresses[id] = (address, superPeer);
        return id;
    }

    private void Emit(SwarmEventKind kind, Instant at, PieceId piece, IPEndPoint? peer)
    {
        if (_events.Count >= _options.MaxQueuedEvents) _events.Dequeue();
        _events.Enqueue(new SwarmEvent(kind, at, piece, peer));
    }

    /// <summary>The store seen as the scheduler's <see cref="IPieceHoldings"/>.</summary>
    private sealed class Holdings(Swarm swarm) : IPieceHoldings
    {
        // Origin bytes waiting for the rest of their Merkle tree are in hand: asking for them again would only
        // fetch the same bytes twice (the closure already fetches what verifies them).
        public bool Has(PieceId key) =>
            swarm._store.TryGetValue(key.SegmentSequence, out var s) && (uint)key.PieceIndex < (uint)s.Layout.PieceCount &&
            (s.Verified[key.PieceIndex] || s.Pending[key.PieceIndex]);

        public bool IsComplete(long segment) => swarm._store.TryGetValue(segment, out var s) && s.IsComplete;
    }
}
