using System.Buffers.Binary;
using System.Net;
using Shoal.Dht.Ids;
using Shoal.Dht.Krpc;
using Shoal.Dht.Lookups;
using Shoal.Dht.Routing;
using Shoal.Dht.Security;
using Shoal.Dht.Storage;

namespace Shoal.Dht;

/// <summary>
/// A Mainline DHT node (BEP 5) as a sans-IO state machine: it never touches a socket or a clock. Time comes in
/// as <c>now</c> (any monotonic origin the driver chooses), randomness from the driver's seeded
/// <see cref="Random"/>, and datagrams go in and out through calls.
/// <para>
/// Getters: <see cref="Id"/>, <see cref="Routing"/>, <see cref="Peers"/>, <see cref="Counters"/>, <see cref="NextWakeUp"/>.
/// Inputs: <see cref="Receive"/> (a datagram arrived), <see cref="WakeUp"/> (the time asked for has come).
/// Commands: <see cref="Bootstrap"/>, <see cref="StartFindNode"/>, <see cref="StartGetPeers"/>, <see cref="StartAnnounce"/>
/// (each returns a lookup id).
/// Outputs: <see cref="TryPollTransmit"/> (datagrams to send), <see cref="TryPollResult"/> (finished lookups).
/// A driver, after every input or command, drains <see cref="TryPollTransmit"/>, then <see cref="TryPollResult"/>,
/// then sleeps until <see cref="NextWakeUp"/> or the next datagram, whichever is first.
/// </para>
/// </summary>
public sealed class DhtNode
{
    private const int TransactionIdLength = 2;

    private readonly DhtOptions _options;
    private readonly Random _random;
    private readonly TokenIssuer _tokens;
    private readonly AddressRateLimiter _limiter;
    private readonly Dictionary<ushort, PendingQuery> _pending = [];
    private readonly Dictionary<int, Lookup> _lookups = [];
    private readonly Queue<(IPEndPoint To, byte[] Datagram)> _outbox = new();
    private readonly Queue<DhtLookupResult> _results = new();
    private List<IPEndPoint> _bootstrapEndPoints = [];
    private ushort _nextTransaction;
    private int _nextLookupId;
    private TimeSpan _nextMaintenance;

    public DhtNode(NodeId id, DhtOptions options, Random random, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        Id = id;
        _options = options;
        _random = random;
        _tokens = new TokenIssuer(random, options.TokenSecretRotation, now);
        _limiter = new AddressRateLimiter(options.RateLimitPerSecond, options.RateLimitBurst, options.MaxTrackedAddresses);
        _nextTransaction = (ushort)random.Next(ushort.MaxValue + 1);
        _nextMaintenance = now + options.MaintenanceInterval;
        Routing = new RoutingTable(id, options, now);
        Peers = new PeerStore(options);
    }

    public NodeId Id { get; }

    public RoutingTable Routing { get; }

    public PeerStore Peers { get; }

    public DhtCounters Counters { get; } = new();

    public int ActiveLookups => _lookups.Count;

    /// <summary>Queries sent and not yet answered nor timed out.</summary>
    public int PendingQueries => _pending.Count;

    /// <summary>When the node next needs <see cref="WakeUp"/>: the earliest query deadline or housekeeping.</summary>
    public TimeSpan NextWakeUp
    {
        get
        {
            var next = _nextMaintenance;
            foreach (var pending in _pending.Values)
            {
                if (pending.Deadline < next)
                {
                    next = pending.Deadline;
                }
            }

            return next;
        }
    }

    /// <summary>A datagram arrived. Oversized, rate-limited and malformed datagrams are counted and dropped; nothing throws.</summary>
    public void Receive(TimeSpan now, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        ArgumentNullException.ThrowIfNull(from);
        Counters.DatagramsReceived++;
        if (datagram.Length > _options.MaxDatagramBytes)
        {
            Counters.DroppedOversized++;
            return;
        }

        // Parsing is bounded by the size and bencode limits, so it is cheap enough to do before rate limiting;
        // only what would make us answer (queries, malformed queries) spends the sender's tokens, while answers
        // to our own queries are matched against what we asked and need no budget.
        if (!KrpcMessage.TryParse(datagram.ToArray(), _options.BencodeLimits, out var message, out _, out var queryTransactionId))
        {
            Counters.DroppedMalformed++;
            if (!queryTransactionId.IsEmpty && TryAcquireBudget(from, now))
            {
                SendError(from, queryTransactionId, KrpcErrorCode.Protocol, "malformed query", datagram.Length);
            }

            return;
        }

        if (message.Kind == KrpcMessageKind.Query && !TryAcquireBudget(from, now))
        {
            return;
        }

        switch (message.Kind)
        {
            case KrpcMessageKind.Query:
                HandleQuery(now, from, message, datagram.Length);
                break;
            case KrpcMessageKind.Response:
                HandleResponse(now, from, message);
                break;
            default:
                HandleError(now, from, message);
                break;
        }
    }

    /// <summary>Expires timed-out queries, refreshes stale buckets, forgets expired peers, re-bootstraps a table that holds fewer than K nodes.</summary>
    public void WakeUp(TimeSpan now)
    {
        foreach (var (transaction, pending) in _pending.Where(p => p.Value.Deadline <= now).ToList())
        {
            _pending.Remove(transaction);
            Counters.QueryTimeouts++;
            if (pending.ExpectedId is { } id)
            {
                Routing.Failed(id, pending.To, now);
            }

            Settle(now, pending, responded: false, message: null, timedOut: true);
        }

        if (now < _nextMaintenance)
        {
            return;
        }

        _nextMaintenance = now + _options.MaintenanceInterval;
        Peers.Expire(now);
        // A table with fewer than K nodes (a lost bootstrap answer, or everyone gone) joins again.
        if (Routing.Count < _options.BucketSize && _bootstrapEndPoints.Count > 0 && _lookups.Count == 0)
        {
            StartLookup(now, DhtLookupKind.FindNode, Id, 0, _bootstrapEndPoints, isJoin: true);
            return;
        }

        foreach (var bucket in Routing.TakeStaleBuckets(now))
        {
            StartLookup(now, DhtLookupKind.FindNode, Routing.RandomIdInBucket(bucket, _random), 0, []);
        }
    }

    /// <summary>
    /// Joins the DHT through nodes known only by endpoint: a find_node lookup of our own id seeded with them.
    /// The list is kept, and used again whenever the routing table holds fewer than K nodes.
    /// </summary>
    public int Bootstrap(TimeSpan now, IEnumerable<IPEndPoint> endPoints)
    {
        ArgumentNullException.ThrowIfNull(endPoints);
        _bootstrapEndPoints = endPoints.ToList();
        return StartLookup(now, DhtLookupKind.FindNode, Id, 0, _bootstrapEndPoints, isJoin: true);
    }

    public int StartFindNode(TimeSpan now, NodeId target) => StartLookup(now, DhtLookupKind.FindNode, target, 0, []);

    public int StartGetPeers(TimeSpan now, NodeId infoHash) => StartLookup(now, DhtLookupKind.GetPeers, infoHash, 0, []);

    /// <summary>Finds the nodes closest to the info-hash and announces to them; port 0 asks them to use our UDP source port (BEP 5 implied_port).</summary>
    public int StartAnnounce(TimeSpan now, NodeId infoHash, int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
        return StartLookup(now, DhtLookupKind.Announce, infoHash, port, []);
    }

    public bool TryPollTransmit(out IPEndPoint to, out ReadOnlyMemory<byte> datagram)
    {
        if (_outbox.TryDequeue(out var next))
        {
            (to, datagram) = (next.To, next.Datagram);
            return true;
        }

        (to, datagram) = (null!, default);
        return false;
    }

    public bool TryPollResult(out DhtLookupResult result) => _results.TryDequeue(out result!);

    private void HandleQuery(TimeSpan now, IPEndPoint from, KrpcMessage query, int requestLength)
    {
        ObserveNode(now, new NodeInfo(query.SenderId, from), responded: false);
        var cap = _options.MaxAmplification * requestLength;
        var t = query.TransactionId;
        switch (query.Method)
        {
            case KrpcMethod.Ping:
                Answer(from, KrpcWriter.Response(t, Id), cap);
                break;
            case KrpcMethod.FindNode:
                AnswerTrimmed(from, cap, Routing.Closest(query.Target, _options.BucketSize), nodes => KrpcWriter.Response(t, Id, nodes: nodes));
                break;
            case KrpcMethod.GetPeers:
                var token = _tokens.Issue(from.Address, now);
                var values = Peers.Get(query.InfoHash, now, _options.MaxValuesPerResponse, _random);
                if (values.Count > 0)
                {
                    AnswerTrimmed(from, cap, values, v => KrpcWriter.Response(t, Id, values: v, token: token));
                }
                else
                {
                    AnswerTrimmed(from, cap, Routing.Closest(query.InfoHash, _options.BucketSize), nodes => KrpcWriter.Response(t, Id, nodes: nodes, token: token));
                }

                break;
            case KrpcMethod.AnnouncePeer:
                if (!_tokens.Validate(from.Address, query.Token.Span, now))
                {
                    SendError(from, t, KrpcErrorCode.Protocol, "bad token", requestLength);
                    break;
                }

                var port = query.ImpliedPort ? from.Port : query.Port;
                Peers.Add(query.InfoHash, new IPEndPoint(from.Address, port), now);
                Answer(from, KrpcWriter.Response(t, Id), cap);
                break;
            default:
                SendError(from, t, KrpcErrorCode.MethodUnknown, "method unknown", requestLength);
                break;
        }
    }

    private void HandleResponse(TimeSpan now, IPEndPoint from, KrpcMessage response)
    {
        if (!TryTakePending(from, response, out var pending))
        {
            return;
        }

        if (pending.ExpectedId is { } expected && expected != response.SenderId)
        {
            // The endpoint answers with another id: not the node we asked, so it counts as a failure.
            Routing.Failed(expected, pending.To, now);
            Settle(now, pending, responded: false, message: null);
            return;
        }

        ObserveNode(now, new NodeInfo(response.SenderId, from), responded: true);
        Settle(now, pending, responded: true, response);
    }

    private void HandleError(TimeSpan now, IPEndPoint from, KrpcMessage error)
    {
        if (TryTakePending(from, error, out var pending))
        {
            Settle(now, pending, responded: false, message: null);
        }
    }

    private bool TryTakePending(IPEndPoint from, KrpcMessage message, out PendingQuery pending)
    {
        pending = null!;
        if (message.TransactionId.Length != TransactionIdLength)
        {
            Counters.DroppedUnexpectedResponses++;
            return false;
        }

        var transaction = BinaryPrimitives.ReadUInt16BigEndian(message.TransactionId.Span);
        // Only the endpoint we asked may answer: a spoofed answer from elsewhere is dropped.
        if (!_pending.TryGetValue(transaction, out pending!) || !pending.To.Equals(from))
        {
            Counters.DroppedUnexpectedResponses++;
            return false;
        }

        _pending.Remove(transaction);
        return true;
    }

    // One query is over: answered (message set), failed with an error, or timed out.
    private void Settle(TimeSpan now, PendingQuery pending, bool responded, KrpcMessage? message, bool timedOut = false)
    {
        if (pending.Lookup is not { } lookup || !_lookups.ContainsKey(lookup.Id))
        {
            return;
        }

        if (pending.Purpose == PendingPurpose.Announce)
        {
            if (timedOut && pending.Attempt < _options.LookupQueryAttempts && pending.ExpectedId is { } node && lookup.Find(node) is { } target
                && SendAnnounce(now, lookup, target, pending.Attempt + 1))
            {
                return;
            }

            lookup.AnnouncesPending--;
            if (responded)
            {
                lookup.AnnounceAcks++;
            }

            Advance(now, lookup);
            return;
        }

        lookup.InFlight--;
        if (responded && message is not null)
        {
            var candidate = lookup.Find(message.SenderId);
            if (candidate is null)
            {
                lookup.AddCandidate(new NodeInfo(message.SenderId, pending.To), Id);
                candidate = lookup.Find(message.SenderId);
            }

            if (candidate is not null)
            {
                candidate.State = LookupCandidateState.Responded;
                candidate.Token = message.Token.ToArray();
            }

            foreach (var node in message.Nodes)
            {
                lookup.AddCandidate(node, Id);
            }

            if (lookup.Kind != DhtLookupKind.FindNode)
            {
                lookup.AddPeers(message.Values);
            }
        }
        else if (pending.ExpectedId is null && timedOut && pending.Attempt < _options.LookupQueryAttempts)
        {
            // A seed (a bootstrap endpoint, id unknown) gets the same second chance as a candidate.
            SendLookupQuery(now, lookup, pending.To, expectedId: null, pending.Attempt + 1);
        }
        else if (pending.ExpectedId is { } id && lookup.Find(id) is { } failed)
        {
            failed.State = message is null && failed.Attempts < _options.LookupQueryAttempts && timedOut
                ? LookupCandidateState.NotQueried
                : LookupCandidateState.Failed;
        }

        Advance(now, lookup);
    }

    private int StartLookup(TimeSpan now, DhtLookupKind kind, NodeId target, int port, IReadOnlyList<IPEndPoint> seeds, bool isJoin = false)
    {
        var lookup = new Lookup(++_nextLookupId, kind, target, port, _options) { IsJoin = isJoin };
        _lookups[lookup.Id] = lookup;
        foreach (var node in Routing.Closest(target, _options.BucketSize * 2))
        {
            lookup.AddCandidate(node, Id);
        }

        if (kind != DhtLookupKind.FindNode)
        {
            lookup.AddPeers(Peers.Get(target, now, _options.MaxValuesPerResponse, _random));
        }

        foreach (var seed in seeds)
        {
            SendLookupQuery(now, lookup, seed, expectedId: null);
        }

        Advance(now, lookup);
        return lookup.Id;
    }

    private void Advance(TimeSpan now, Lookup lookup)
    {
        if (lookup.Announcing)
        {
            if (lookup.AnnouncesPending == 0)
            {
                Complete(now, lookup);
            }

            return;
        }

        while (lookup.NextToQuery() is { } candidate)
        {
            candidate.State = LookupCandidateState.InFlight;
            candidate.Attempts++;
            SendLookupQuery(now, lookup, candidate.Node.EndPoint, candidate.Node.Id);
        }

        if (!lookup.IsConverged)
        {
            return;
        }

        if (lookup.Kind != DhtLookupKind.Announce)
        {
            Complete(now, lookup);
            return;
        }

        lookup.Announcing = true;
        foreach (var candidate in lookup.ClosestResponded(_options.BucketSize))
        {
            if (candidate.Token.IsEmpty)
            {
                continue;
            }

            if (SendAnnounce(now, lookup, candidate, 1))
            {
                lookup.AnnouncesPending++;
            }
        }

        if (lookup.AnnouncesPending == 0)
        {
            Complete(now, lookup);
        }
    }

    private bool SendAnnounce(TimeSpan now, Lookup lookup, LookupCandidate candidate, int attempt) =>
        Send(now, candidate.Node.EndPoint, candidate.Node.Id, PendingPurpose.Announce, lookup, attempt, t =>
            KrpcWriter.AnnouncePeer(t, Id, lookup.Target, lookup.AnnouncePort, candidate.Token, impliedPort: lookup.AnnouncePort == 0));

    private void SendLookupQuery(TimeSpan now, Lookup lookup, IPEndPoint to, NodeId? expectedId, int attempt = 1)
    {
        var sent = Send(now, to, expectedId, PendingPurpose.Lookup, lookup, attempt, t => lookup.Kind == DhtLookupKind.FindNode
            ? KrpcWriter.FindNode(t, Id, lookup.Target)
            : KrpcWriter.GetPeers(t, Id, lookup.Target));
        lookup.QueriesSent++;
        if (sent)
        {
            lookup.InFlight++;
        }
        else if (expectedId is { } id && lookup.Find(id) is { } candidate)
        {
            candidate.State = LookupCandidateState.Failed;
        }
    }

    private void Complete(TimeSpan now, Lookup lookup)
    {
        _lookups.Remove(lookup.Id);
        if (lookup.IsJoin)
        {
            // Kademlia §2.3: after looking itself up, a joining node refreshes every bucket farther away than its
            // closest neighbour; otherwise it knows only its own neighbourhood and lookups for far targets stall there.
            for (var bucket = 0; bucket < Routing.BucketCount - 1; bucket++)
            {
                StartLookup(now, DhtLookupKind.FindNode, Routing.RandomIdInBucket(bucket, _random), 0, []);
            }
        }

        _results.Enqueue(new DhtLookupResult(
            lookup.Id,
            lookup.Kind,
            lookup.Target,
            lookup.Peers.ToList(),
            lookup.ClosestResponded(_options.BucketSize).Select(c => c.Node).ToList(),
            lookup.QueriesSent,
            lookup.AnnounceAcks));
    }

    private void ObserveNode(TimeSpan now, NodeInfo node, bool responded)
    {
        if (Routing.Observe(node, now, responded, out var toPing) == RoutingInsertResult.PingQuestionable)
        {
            Send(now, toPing.EndPoint, toPing.Id, PendingPurpose.EvictionPing, null, 1, t => KrpcWriter.Ping(t, Id));
        }
    }

    private bool Send(TimeSpan now, IPEndPoint to, NodeId? expectedId, PendingPurpose purpose, Lookup? lookup, int attempt, Func<ReadOnlyMemory<byte>, byte[]> build)
    {
        if (_outbox.Count >= _options.MaxQueuedDatagrams || _pending.Count >= ushort.MaxValue)
        {
            Counters.DroppedSendQueueFull++;
            return false;
        }

        while (_pending.ContainsKey(_nextTransaction))
        {
            _nextTransaction++;
        }

        var transaction = _nextTransaction++;
        var t = new byte[TransactionIdLength];
        BinaryPrimitives.WriteUInt16BigEndian(t, transaction);
        _pending[transaction] = new PendingQuery(to, expectedId, purpose, lookup, attempt, now + _options.QueryTimeout);
        _outbox.Enqueue((to, build(t)));
        Counters.QueriesSent++;
        return true;
    }

    private bool TryAcquireBudget(IPEndPoint from, TimeSpan now)
    {
        if ((!_options.RateLimitLoopback && IPAddress.IsLoopback(from.Address)) || _limiter.TryAcquire(from.Address, now))
        {
            return true;
        }

        Counters.DroppedRateLimited++;
        return false;
    }

    private void Answer(IPEndPoint to, byte[] datagram, int cap)
    {
        if (datagram.Length > cap)
        {
            return;
        }

        Enqueue(to, datagram);
        Counters.QueriesAnswered++;
    }

    // Anti-amplification: drops entries from the end until the answer fits the cap (ultimately an empty list).
    private void AnswerTrimmed<T>(IPEndPoint to, int cap, List<T> items, Func<IReadOnlyCollection<T>, byte[]> build)
    {
        var datagram = build(items);
        while (datagram.Length > cap && items.Count > 0)
        {
            items.RemoveRange(items.Count * 3 / 4, items.Count - (items.Count * 3 / 4));
            datagram = build(items);
        }

        Answer(to, datagram, cap);
    }

    private void SendError(IPEndPoint to, ReadOnlyMemory<byte> transactionId, int code, string text, int requestLength)
    {
        var datagram = KrpcWriter.Error(transactionId, code, text);
        if (datagram.Length <= _options.MaxAmplification * requestLength)
        {
            Enqueue(to, datagram);
            Counters.ErrorsSent++;
        }
    }

    private void Enqueue(IPEndPoint to, byte[] datagram)
    {
        if (_outbox.Count >= _options.MaxQueuedDatagrams)
        {
            Counters.DroppedSendQueueFull++;
            return;
        }

        _outbox.Enqueue((to, datagram));
    }

    private enum PendingPurpose
    {
        Lookup,
        Announce,
        EvictionPing,
    }

    private sealed record PendingQuery(IPEndPoint To, NodeId? ExpectedId, PendingPurpose Purpose, Lookup? Lookup, int Attempt, TimeSpan Deadline);
}
