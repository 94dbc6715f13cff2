using System.Net;
using Shoal.Core.Identity;
using Shoal.Engine.Congestion;
using Shoal.Protocol;

namespace Shoal.Engine.Channels;

/// <summary>
/// One PPSPP channel (RFC 7574 §3, §8.4) with one remote peer for one swarm, sans-IO: the handshake with retries,
/// time-outs and version negotiation, keep-alive and dead-peer detection, teardown, reliable DATA (ACK ranges,
/// RTO by RFC 6298, loss detection, retransmission, duplicate suppression, cancellation) and LEDBAT (RFC 6817)
/// deciding how much DATA may be in flight.
/// </summary>
/// <remarks>
/// <para>A channel lives inside a <see cref="ChannelTable"/>, which owns the socket-facing side (it routes
/// datagrams by channel id and polls channels for datagrams to send). The owner (the swarm) uses four groups of
/// members, in the manner of quinn-proto's <c>Connection</c>:</para>
/// <list type="bullet">
/// <item><b>Getters</b>: <see cref="State"/>, <see cref="CloseReason"/>, <see cref="SwarmId"/>, <see cref="Remote"/>,
/// <see cref="GetStatistics"/> (RTT, rates, bytes in flight, window).</item>
/// <item><b>Commands</b>: <see cref="SendHave"/>, <see cref="SendRequest"/>, <see cref="SendCancel"/>,
/// <see cref="SendData"/>, <see cref="SendIntegrity"/>, <see cref="SendSignedIntegrity"/>, <see cref="SendChoke"/>,
/// <see cref="SendUnchoke"/>, <see cref="SendPexRequest"/>, <see cref="SendPex"/>, <see cref="SendExtension"/>,
/// <see cref="CancelData"/>, <see cref="Close"/>. They only queue; nothing is sent until the driver polls.</item>
/// <item><b>Inputs</b> (called by the table): a datagram for this channel, a timer.</item>
/// <item><b>Outputs</b>: <see cref="TryPollMessage"/> yields what the peer sent (each DATA once; HANDSHAKE and ACK
/// are consumed inside).</item>
/// </list>
/// <para>Polling order, after every input the driver gives the table (a datagram or a wake-up) and after the owner's
/// commands: (1) the owner drains <see cref="ChannelTable.TryPollAccepted"/> and each channel's
/// <see cref="TryPollMessage"/> and reacts with commands; (2) the driver drains
/// <see cref="ChannelTable.TryPollTransmit"/>; (3) the driver arms one timer for
/// <see cref="ChannelTable.NextWakeUp"/>. Skipping (1) before (2) only delays replies to the next round.</para>
/// <para>Reliability covers DATA only. Other messages are unreliable as in RFC 7574 §3: a lost REQUEST is
/// re-issued by the scheduler when it times out, a lost HAVE is repaired by later ones. DATA payloads passed to
/// <see cref="SendData"/> are kept by reference until acknowledged or cancelled and must not change meanwhile.</para>
/// </remarks>
public sealed class PeerChannel
{
    private const int ChannelIdLength = DatagramReader.ChannelIdLength;
    private const long MaxDelaySampleMicroseconds = 1L << 50;

    private readonly ChannelOptions _options;
    private readonly WireFormat _format;
    private readonly ICongestionController _congestion;
    private readonly RttEstimator _rtt;
    private readonly Queue<OutgoingMessage> _control = new();
    private readonly LinkedList<QueuedData> _dataQueue = new();
    private readonly Queue<ulong> _retransmitQueue = new();
    private readonly Dictionary<ulong, InFlightChunk> _inFlight = [];
    private readonly Queue<(long Sequence, ulong Key)> _sentOrder = new();
    private readonly Stack<InFlightChunk> _spareChunks = new();
    private readonly List<InFlightChunk> _scratch = [];
    private readonly ChunkRangeSet _received;
    private readonly List<(ChunkSpec Chunks, long Delay)> _pendingAcks = [];
    private readonly Queue<ReceivedMessage> _inbox = new();
    private readonly RateMeter _sendRate;
    private readonly RateMeter _receiveRate;
    private readonly Instant _createdAt;
    private readonly byte[] _swarmIdBytes;

    private int _handshakeAttempts;
    private Instant _nextHandshakeAt;
    private bool _handshakeReplyPending;
    private bool _mustAnnounceOpen;
    private bool _awaitingPeerAfterOpen;
    private int _announceAttempts;
    private bool _repeatedReply;
    private Instant _nextAnnounceAt;
    private bool _closePending;
    private Instant _lastSent;
    private Instant _lastReceived;
    private Instant? _ackDeadline;
    private int _unackedDataDatagrams;
    private long _bytesInFlight;
    private long _bytesQueued;
    private long _nextSequence;
    private long _largestAckedSequence = -1;
    private Instant? _recoveryStart;

    private long _datagramsSent;
    private long _datagramsReceived;
    private long _bytesSent;
    private long _bytesReceived;
    private long _dataSent;
    private long _dataRetransmitted;
    private long _dataAcknowledged;
    private long _dataDelivered;
    private long _duplicateData;
    private long _malformed;

    internal PeerChannel(
        uint localChannelId,
        IPEndPoint remote,
        SwarmHandshake swarm,
        ChannelOptions options,
        Instant now,
        bool isInitiator,
        uint remoteChannelId,
        byte version)
    {
        LocalChannelId = localChannelId;
        Remote = remote;
        Swarm = swarm;
        IsInitiator = isInitiator;
        RemoteChannelId = remoteChannelId;
        Version = version;
        _options = options;
        _format = swarm.Format;
        _congestion = options.CreateCongestionController();
        _rtt = new RttEstimator(options.Rtt);
        _received = new ChunkRangeSet(options.MaxRememberedRanges);
        _sendRate = new RateMeter(options.RateWindow);
        _receiveRate = new RateMeter(options.RateWindow);
        _createdAt = now;
        _swarmIdBytes = swarm.SwarmId.ToArray();
        _lastSent = now;
        _lastReceived = now;
        _nextHandshakeAt = now;
        _handshakeReplyPending = !isInitiator;
    }

    /// <summary>The channel id this end chose; the peer prefixes its datagrams with it.</summary>
    public uint LocalChannelId { get; }

    /// <summary>The channel id the peer chose (0 until the initiator hears the reply).</summary>
    public uint RemoteChannelId { get; private set; }

    /// <summary>The peer's UDP address.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>The swarm options this channel announced.</summary>
    public SwarmHandshake Swarm { get; }

    /// <summary>The swarm (RID) this channel belongs to.</summary>
    public Rid SwarmId => Swarm.SwarmId;

    /// <summary>Whether this end sent the first HANDSHAKE.</summary>
    public bool IsInitiator { get; }

    /// <summary>The negotiated protocol version (RFC 7574 §7.2), 0 until known.</summary>
    public byte Version { get; private set; }

    public ChannelState State { get; private set; }

    public ChannelCloseReason CloseReason { get; private set; }

    /// <summary>The congestion controller (LEDBAT unless the options chose another).</summary>
    public ICongestionController CongestionController => _congestion;

    /// <summary>Bytes of DATA datagrams in flight.</summary>
    public long BytesInFlight => _bytesInFlight;

    /// <summary>DATA content bytes queued and not yet sent once.</summary>
    public long BytesQueued => _bytesQueued;

    /// <summary>DATA messages sent but not yet acknowledged, lost ones awaiting resending included.</summary>
    public int ChunksUnacknowledged => _inFlight.Count;

    /// <summary>Whether the table may forget this channel: closed, and its closing HANDSHAKE sent.</summary>
    internal bool IsFinished => State == ChannelState.Closed && !_closePending;

    /// <summary>A snapshot of the channel's measurements at <paramref name="now"/>.</summary>
    public ChannelStatistics GetStatistics(Instant now) => new()
    {
        State = State,
        SmoothedRtt = _rtt.HasSample ? _rtt.SmoothedRtt : null,
        Rto = _rtt.Rto,
        CongestionWindow = _congestion.CongestionWindow,
        BytesInFlight = _bytesInFlight,
        BytesQueued = _bytesQueued,
        SendRate = _sendRate.Rate(now),
        ReceiveRate = _receiveRate.Rate(now),
        QueuingDelay = _congestion is LedbatController { BaseDelay: not null } ledbat ? ledbat.QueuingDelay : null,
        DatagramsSent = _datagramsSent,
        DatagramsReceived = _datagramsReceived,
        BytesSent = _bytesSent,
        BytesReceived = _bytesReceived,
        DataSent = _dataSent,
        DataRetransmitted = _dataRetransmitted,
        DataAcknowledged = _dataAcknowledged,
        DataDelivered = _dataDelivered,
        DuplicateDataReceived = _duplicateData,
        MalformedReceived = _malformed,
    };

    // ---- Commands ----

    /// <summary>RFC 7574 §8.5: tells the peer we have (verified) these chunks.</summary>
    public void SendHave(ChunkSpec chunks) => EnqueueControl(new OutgoingMessage(MessageType.Have, CheckSpec(chunks), default, 0, null, default));

    /// <summary>RFC 7574 §8.10: asks the peer for these chunks.</summary>
    public void SendRequest(ChunkSpec chunks) => EnqueueControl(new OutgoingMessage(MessageType.Request, CheckSpec(chunks), default, 0, null, default));

    /// <summary>RFC 7574 §8.11: withdraws a REQUEST (the chunks are late here and will be asked elsewhere).</summary>
    public void SendCancel(ChunkSpec chunks) => EnqueueControl(new OutgoingMessage(MessageType.Cancel, CheckSpec(chunks), default, 0, null, default));

    /// <summary>RFC 7574 §8.8: one Merkle hash (an uncle or the peak) for the chunks that follow.</summary>
    public void SendIntegrity(ChunkSpec node, ReadOnlyMemory<byte> hash)
    {
        if (hash.Length != _format.HashLength)
        {
            throw new ArgumentException($"A hash of this swarm is {_format.HashLength} bytes, not {hash.Length}.", nameof(hash));
        }

        EnqueueControl(new OutgoingMessage(MessageType.Integrity, CheckSpec(node), hash, 0, null, default));
    }

    /// <summary>RFC 7574 §8.9: a signed Merkle subtree root of a live swarm.</summary>
    public void SendSignedIntegrity(ChunkSpec subtree, ulong ntpTimestamp, ReadOnlyMemory<byte> signature)
    {
        if (signature.Length != _format.SignatureLength)
        {
            throw new ArgumentException($"A signature of this swarm is {_format.SignatureLength} bytes, not {signature.Length}.", nameof(signature));
        }

        EnqueueControl(new OutgoingMessage(MessageType.SignedIntegrity, CheckSpec(subtree), signature, ntpTimestamp, null, default));
    }

    /// <summary>RFC 7574 §8.12.</summary>
    public void SendChoke() => EnqueueControl(new OutgoingMessage(MessageType.Choke, default, default, 0, null, default));

    /// <summary>RFC 7574 §8.12.</summary>
    public void SendUnchoke() => EnqueueControl(new OutgoingMessage(MessageType.Unchoke, default, default, 0, null, default));

    /// <summary>RFC 7574 §8.13: asks the peer for other peers.</summary>
    public void SendPexRequest() => EnqueueControl(new OutgoingMessage(MessageType.PexReq, default, default, 0, null, default));

    /// <summary>RFC 7574 §8.13: tells the peer about another peer.</summary>
    public void SendPex(IPEndPoint peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        EnqueueControl(new OutgoingMessage(MessageType.PexResV4, default, default, 0, peer, default));
    }

    /// <summary>Shoal's extension envelope (docs/protocol.md): only for peers whose Supported Messages list it.</summary>
    public void SendExtension(ShoalExtensionId id, ReadOnlyMemory<byte> body) =>
        EnqueueControl(new OutgoingMessage(MessageType.ShoalExtension, default, body, 0, null, id));

    /// <summary>
    /// RFC 7574 §8.6: queues content for reliable delivery; sent when the congestion window allows, resent until
    /// acknowledged or cancelled. <paramref name="payload"/> is kept by reference: it must not change meanwhile.
    /// </summary>
    public void SendData(ChunkSpec chunks, ReadOnlyMemory<byte> payload)
    {
        CheckSpec(chunks);
        if (payload.IsEmpty)
        {
            throw new ArgumentException("A DATA message carries at least one byte.", nameof(payload));
        }

        if (ChannelIdLength + _format.DataMessageLength(payload.Length) > _options.MaxDatagramSize)
        {
            throw new ArgumentException($"{payload.Length} bytes of DATA do not fit in a {_options.MaxDatagramSize}-byte datagram.", nameof(payload));
        }

        if (_format.AddressesChunks && _format.ChunkSize != WireFormat.VariableChunkSize)
        {
            var count = chunks.End - chunks.Start + 1;
            var size = (ulong)_format.ChunkSize;
            if ((ulong)payload.Length > count * size || (ulong)payload.Length <= (count - 1) * size)
            {
                throw new ArgumentException($"{payload.Length} bytes do not fill chunks {chunks} of {size} bytes.", nameof(payload));
            }
        }

        if (State == ChannelState.Closed)
        {
            return;
        }

        _dataQueue.AddLast(new QueuedData(chunks, payload));
        _bytesQueued += payload.Length;
    }

    /// <summary>Stops sending (and resending) DATA within <paramref name="chunks"/>: the peer cancelled, or choked.</summary>
    public void CancelData(ChunkSpec chunks)
    {
        for (var node = _dataQueue.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Chunks.Start >= chunks.Start && node.Value.Chunks.End <= chunks.End)
            {
                _bytesQueued -= node.Value.Payload.Length;
                _dataQueue.Remove(node);
            }

            node = next;
        }

        _scratch.Clear();
        foreach (var chunk in _inFlight.Values)
        {
            if (chunk.Chunks.Start >= chunks.Start && chunk.Chunks.End <= chunks.End)
            {
                _scratch.Add(chunk);
            }
        }

        foreach (var chunk in _scratch)
        {
            Forget(chunk);
        }

        _scratch.Clear();
    }

    /// <summary>Closes the channel: a closing HANDSHAKE goes to the peer (RFC 7574 §8.4) and nothing more is sent.</summary>
    public void Close() => CloseWith(ChannelCloseReason.ClosedLocally, notifyPeer: true);

    /// <summary>Closes a half-open channel without a word (its initiator never proved its address).</summary>
    internal void Abandon() => CloseWith(ChannelCloseReason.HandshakeTimedOut, notifyPeer: false);

    /// <summary>The next message the peer sent, in arrival order.</summary>
    public bool TryPollMessage(out ReceivedMessage message) => _inbox.TryDequeue(out message);

    // ---- Inputs (from the table) ----

    /// <summary>The initiator sent its HANDSHAKE again: our reply was lost, so send it again.</summary>
    internal void OnHandshakeRepeated()
    {
        if (!IsInitiator && State != ChannelState.Closed)
        {
            _handshakeReplyPending = true;
        }
    }

    internal void Receive(Instant now, ReadOnlySpan<byte> datagram)
    {
        if (State == ChannelState.Closed)
        {
            return;
        }

        _lastReceived = now;
        _datagramsReceived++;
        _bytesReceived += datagram.Length;
        if (!IsInitiator && State == ChannelState.Connecting)
        {
            // RFC 7574 §3.1: a datagram on our channel id proves the initiator got our HANDSHAKE. Answer at once
            // (a keep-alive if nothing else), which tells the initiator its datagram 3 arrived.
            State = ChannelState.Open;
            _mustAnnounceOpen = true;
        }

        _repeatedReply = false;

        if (!DatagramReader.TryOpen(datagram, _format, out var reader, out _))
        {
            _malformed++;
            return;
        }

        var hadData = false;
        while (reader.TryRead(out var message, out var error))
        {
            if (State == ChannelState.Closed)
            {
                return;
            }

            switch (message.Type)
            {
                case MessageType.Handshake:
                    OnHandshake(now, message);
                    break;
                case MessageType.Data when State == ChannelState.Open:
                    OnData(now, message);
                    hadData = true;
                    break;
                case MessageType.Ack when State == ChannelState.Open:
                    OnAck(now, message);
                    break;
                case MessageType.Cancel when State == ChannelState.Open:
                    CancelData(message.Chunks);
                    Deliver(message);
                    break;
                default:
                    if (State == ChannelState.Open)
                    {
                        Deliver(message);
                    }

                    break;
            }
        }

        if (reader.TryRead(out _, out var failure) || failure != DecodeError.None)
        {
            _malformed++;
        }

        if (IsInitiator && State == ChannelState.Open && !_repeatedReply)
        {
            // Anything but the responder's HANDSHAKE proves it opened its end: stop repeating datagram 3.
            _awaitingPeerAfterOpen = false;
        }

        if (hadData)
        {
            _unackedDataDatagrams++;
            _ackDeadline ??= now + _options.MaxAckDelay;
        }
    }

    internal Instant? NextWakeUp
    {
        get
        {
            switch (State)
            {
                case ChannelState.Closed:
                    return null;
                case ChannelState.Connecting when IsInitiator:
                    return _nextHandshakeAt;
                case ChannelState.Connecting:
                    return _createdAt + _options.HalfOpenTimeout;
            }

            Instant? wake = Instant.Min(_lastSent + _options.KeepAliveInterval, _lastReceived + _options.IdleTimeout);
            if (_pendingAcks.Count > 0)
            {
                wake = Instant.Earliest(wake, _ackDeadline);
            }

            if (_awaitingPeerAfterOpen && _announceAttempts < _options.HandshakeAttempts)
            {
                wake = Instant.Earliest(wake, _nextAnnounceAt);
            }

            if (TryGetOldestOutstanding(out var oldest))
            {
                wake = Instant.Earliest(wake, oldest.SentAt + _rtt.Rto);
            }

            return wake;
        }
    }

    internal void WakeUp(Instant now)
    {
        switch (State)
        {
            case ChannelState.Closed:
                return;
            case ChannelState.Connecting when IsInitiator:
                if (now >= _nextHandshakeAt && _handshakeAttempts >= _options.HandshakeAttempts)
                {
                    CloseWith(ChannelCloseReason.HandshakeTimedOut, notifyPeer: false);
                }

                return;
            case ChannelState.Connecting:
                if (now >= _createdAt + _options.HalfOpenTimeout)
                {
                    // The initiator never proved its address: say nothing to it.
                    CloseWith(ChannelCloseReason.HandshakeTimedOut, notifyPeer: false);
                }

                return;
        }

        if (now >= _lastReceived + _options.IdleTimeout)
        {
            CloseWith(ChannelCloseReason.PeerTimedOut, notifyPeer: true);
            return;
        }

        if (TryGetOldestOutstanding(out var oldest) && now >= oldest.SentAt + _rtt.Rto)
        {
            OnRetransmissionTimeout(now);
        }
    }

    // ---- Output (to the table) ----

    /// <summary>Writes this channel's next datagram; the destination is <see cref="Remote"/>.</summary>
    internal bool TryPollTransmit(Instant now, Span<byte> buffer, out int length)
    {
        length = 0;
        var room = buffer[..Math.Min(buffer.Length, _options.MaxDatagramSize)];
        if (State == ChannelState.Closed)
        {
            if (!_closePending)
            {
                return false;
            }

            _closePending = false;
            var close = new DatagramWriter(room, RemoteChannelId, _format);
            close.TryWriteClose(VersionNegotiation.ShoalMaximum);
            return Sent(now, close.BytesWritten, out length);
        }

        if (State == ChannelState.Connecting && IsInitiator)
        {
            if (now < _nextHandshakeAt || _handshakeAttempts >= _options.HandshakeAttempts)
            {
                return false;
            }

            _handshakeAttempts++;
            var backoff = _options.HandshakeRetryInterval * (1L << Math.Min(_handshakeAttempts - 1, 16));
            _nextHandshakeAt = now + backoff;
            var opening = new DatagramWriter(room, 0, _format);
            WriteHandshake(ref opening, VersionNegotiation.ShoalMaximum);
            return Sent(now, opening.BytesWritten, out length);
        }

        var writer = new DatagramWriter(room, RemoteChannelId, _format);
        if (_handshakeReplyPending)
        {
            // RFC 7574 §3.1: the responder's HANDSHAKE, with whatever the owner queued (typically HAVEs). It is sent
            // once per HANDSHAKE received, never on a timer: the initiator's address is unproven until datagram 3,
            // so the responder must not become an amplifier towards a spoofed one.
            _handshakeReplyPending = false;
            WriteHandshake(ref writer, Version);
            WriteControl(ref writer);
            return Sent(now, writer.BytesWritten, out length);
        }

        if (State != ChannelState.Open)
        {
            return false;
        }

        var data = NextDataToSend();
        var ackDue = _pendingAcks.Count > 0
            && (_unackedDataDatagrams >= _options.AckEveryDatagrams || now >= _ackDeadline || data is not null || _control.Count > 0);
        if (ackDue)
        {
            WriteAcks(ref writer);
        }

        WriteControl(ref writer);
        if (data is not null)
        {
            WriteData(now, ref writer, data.Value);
        }

        var announce = _mustAnnounceOpen
            || (_awaitingPeerAfterOpen && now >= _nextAnnounceAt && _announceAttempts < _options.HandshakeAttempts);
        if (writer.IsKeepAlive && !announce && now < _lastSent + _options.KeepAliveInterval)
        {
            return false;
        }

        if (_awaitingPeerAfterOpen)
        {
            _announceAttempts++;
            _nextAnnounceAt = now + (_options.HandshakeRetryInterval * (1L << Math.Min(_announceAttempts - 1, 16)));
        }

        // RFC 7574 §3.1: the initiator's first datagram on the responder's channel opens it there; an empty one
        // (a keep-alive, §8.14) is enough.
        _mustAnnounceOpen = false;
        return Sent(now, writer.BytesWritten, out length);
    }

    // ---- Handshake ----

    private void WriteHandshake(ref DatagramWriter writer, byte version)
    {
        var options = new HandshakeOptions
        {
            Version = version,
            MinimumVersion = VersionNegotiation.ShoalMinimum,
            SwarmId = _swarmIdBytes,
            ContentIntegrityProtectionMethod = Swarm.IntegrityProtection,
            MerkleHashFunction = Swarm.MerkleHashFunction,
            LiveSignatureAlgorithm = Swarm.LiveSignatureAlgorithm,
            ChunkAddressing = Swarm.ChunkAddressing,
            LiveDiscardWindow = Swarm.LiveDiscardWindow,
            SupportedMessages = Swarm.SupportedMessages,
            ChunkSize = Swarm.ChunkSize,
        };
        writer.TryWriteHandshake(LocalChannelId, options);
    }

    private void OnHandshake(Instant now, Message message)
    {
        if (message.IsClose)
        {
            // RFC 7574 §8.4. During the handshake a close is the responder's refusal.
            var reason = State == ChannelState.Open ? ChannelCloseReason.ClosedByPeer
                : message.Handshake.Version is { } offered && !VersionNegotiation.IsAcceptable(VersionNegotiation.ShoalMinimum, VersionNegotiation.ShoalMaximum, offered)
                    ? ChannelCloseReason.VersionMismatch
                    : ChannelCloseReason.Rejected;
            CloseWith(reason, notifyPeer: false);
            return;
        }

        if (!IsInitiator || State != ChannelState.Connecting)
        {
            // A repeated reply: the responder has not heard our datagram 3 yet, so send another at once.
            _mustAnnounceOpen = IsInitiator;
            _repeatedReply = true;
            return;
        }

        var options = message.Handshake;
        RemoteChannelId = message.SourceChannelId;
        if (options.Version is not { } chosen || !VersionNegotiation.IsAcceptable(VersionNegotiation.ShoalMinimum, VersionNegotiation.ShoalMaximum, chosen))
        {
            CloseWith(ChannelCloseReason.VersionMismatch, notifyPeer: true);
            return;
        }

        if (!options.SwarmId.IsEmpty && (options.SwarmId.Length != Rid.Length || Rid.FromBytes(options.SwarmId) != SwarmId))
        {
            CloseWith(ChannelCloseReason.Rejected, notifyPeer: true);
            return;
        }

        Version = chosen;
        State = ChannelState.Open;
        _repeatedReply = true;
        _awaitingPeerAfterOpen = true;
        _nextAnnounceAt = now;
        _lastReceived = now;
    }

    // ---- Receiving DATA ----

    private void OnData(Instant now, Message message)
    {
        var chunks = message.Chunks;
        var delay = now.Microseconds - unchecked((long)message.Timestamp);
        if (_received.Add(chunks.Start, chunks.End))
        {
            _dataDelivered++;
            _receiveRate.Add(now, message.Payload.Length);
            _inbox.Enqueue(new ReceivedMessage(MessageType.Data, chunks, message.Payload.ToArray(), message.Timestamp, null, default));
        }
        else
        {
            // A retransmission whose first copy arrived: our ACK was lost or late; acknowledge again.
            _duplicateData++;
        }

        if (_pendingAcks.Count > 0)
        {
            var last = _pendingAcks[^1];
            if (last.Chunks.End != ulong.MaxValue && last.Chunks.End + 1 == chunks.Start)
            {
                _pendingAcks[^1] = (last.Chunks with { End = chunks.End }, delay);
                return;
            }
        }

        _pendingAcks.Add((chunks, delay));
    }

    private void WriteAcks(ref DatagramWriter writer)
    {
        var written = 0;
        foreach (var (chunks, delay) in _pendingAcks)
        {
            if (!writer.TryWriteAck(chunks, delay))
            {
                break;
            }

            written++;
        }

        _pendingAcks.RemoveRange(0, written);
        if (_pendingAcks.Count == 0)
        {
            _unackedDataDatagrams = 0;
            _ackDeadline = null;
        }
    }

    // ---- Sending DATA ----

    private QueuedData? NextDataToSend()
    {
        while (_retransmitQueue.TryPeek(out var key))
        {
            if (_inFlight.TryGetValue(key, out var lost) && lost.Lost)
            {
                return Fits(lost.Size) ? new QueuedData(lost.Chunks, lost.Payload) : null;
            }

            _retransmitQueue.Dequeue();
        }

        if (_dataQueue.First is { } first)
        {
            return Fits(SizeOf(first.Value.Payload.Length)) ? first.Value : null;
        }

        return null;
    }

    private bool Fits(int size) => _bytesInFlight == 0 || _bytesInFlight + size <= _congestion.CongestionWindow;

    private int SizeOf(int payloadLength) => ChannelIdLength + _format.DataMessageLength(payloadLength);

    private void WriteData(Instant now, ref DatagramWriter writer, QueuedData data)
    {
        if (writer.Remaining < _format.DataMessageLength(data.Payload.Length))
        {
            return;
        }

        var key = data.Chunks.Start;
        InFlightChunk chunk;
        if (_retransmitQueue.TryPeek(out var lostKey) && lostKey == key && _inFlight.TryGetValue(key, out var lost) && lost.Lost)
        {
            _retransmitQueue.Dequeue();
            chunk = lost;
            chunk.Lost = false;
            chunk.SendCount++;
            _dataRetransmitted++;
        }
        else
        {
            _dataQueue.RemoveFirst();
            _bytesQueued -= data.Payload.Length;
            if (_inFlight.ContainsKey(key))
            {
                // The owner queued a chunk that is still in flight: the copy on its way will do.
                return;
            }

            chunk = _spareChunks.TryPop(out var spare) ? spare : new InFlightChunk();
            chunk.Chunks = data.Chunks;
            chunk.Payload = data.Payload;
            chunk.SendCount = 1;
            chunk.Lost = false;
            chunk.Size = SizeOf(data.Payload.Length);
            _inFlight.Add(key, chunk);
            _dataSent++;
            _sendRate.Add(now, data.Payload.Length);
        }

        writer.TryWriteData(data.Chunks, unchecked((ulong)now.Microseconds), data.Payload.Span);
        chunk.Sequence = _nextSequence++;
        chunk.SentAt = now;
        _bytesInFlight += chunk.Size;
        _sentOrder.Enqueue((chunk.Sequence, key));
    }

    private void OnAck(Instant now, Message message)
    {
        var range = message.Chunks;
        var flightBefore = _bytesInFlight;
        long ackedBytes = 0;
        InFlightChunk? newestFresh = null;
        _scratch.Clear();
        var width = range.End - range.Start;
        if (width < (ulong)_inFlight.Count * 2)
        {
            for (var index = range.Start; ; index++)
            {
                if (_inFlight.TryGetValue(index, out var chunk) && chunk.Chunks.End <= range.End)
                {
                    _scratch.Add(chunk);
                }

                if (index == range.End)
                {
                    break;
                }
            }
        }
        else
        {
            foreach (var chunk in _inFlight.Values)
            {
                if (chunk.Chunks.Start >= range.Start && chunk.Chunks.End <= range.End)
                {
                    _scratch.Add(chunk);
                }
            }
        }

        foreach (var chunk in _scratch)
        {
            ackedBytes += chunk.Size;
            _dataAcknowledged++;
            if (chunk.Sequence > _largestAckedSequence)
            {
                _largestAckedSequence = chunk.Sequence;
            }

            // RFC 6298 §3 (Karn): only chunks sent once give an RTT sample.
            if (chunk.SendCount == 1 && (newestFresh is null || chunk.Sequence > newestFresh.Sequence))
            {
                newestFresh = chunk;
            }
        }

        if (newestFresh is not null)
        {
            _rtt.AddSample(now - newestFresh.SentAt);
        }

        foreach (var chunk in _scratch)
        {
            Forget(chunk);
        }

        _scratch.Clear();
        // The sample is the peer's word: bound it to what a TimeSpan holds (a skew of centuries is still "constant").
        var delay = Math.Clamp(message.OneWayDelaySample, -MaxDelaySampleMicroseconds, MaxDelaySampleMicroseconds);
        _congestion.OnAck(now, ackedBytes, flightBefore, TimeSpan.FromMicroseconds(delay));
        DetectLosses(now);
    }

    /// <summary>RFC 9002 §6.1.1-style packet threshold: a chunk sent well before one acknowledged is lost.</summary>
    private void DetectLosses(Instant now)
    {
        while (_sentOrder.TryPeek(out var entry))
        {
            if (!_inFlight.TryGetValue(entry.Key, out var chunk) || chunk.Sequence != entry.Sequence || chunk.Lost)
            {
                _sentOrder.Dequeue();
                continue;
            }

            if (entry.Sequence + _options.ReorderingThreshold > _largestAckedSequence)
            {
                break;
            }

            _sentOrder.Dequeue();
            DeclareLost(now, chunk);
        }
    }

    private void DeclareLost(Instant now, InFlightChunk chunk)
    {
        chunk.Lost = true;
        _bytesInFlight -= chunk.Size;
        _retransmitQueue.Enqueue(chunk.Chunks.Start);

        // One window reduction per round trip: losses of chunks sent before the last reduction are the same event.
        if (_recoveryStart is null || chunk.SentAt > _recoveryStart)
        {
            _recoveryStart = now;
            _congestion.OnCongestionEvent(now);
        }
    }

    private void OnRetransmissionTimeout(Instant now)
    {
        // RFC 6298 §5.4-§5.6: back the timer off and resend; every chunk still out is presumed lost.
        _rtt.OnTimeout();
        _congestion.OnTimeout(now);
        _recoveryStart = now;
        while (_sentOrder.TryDequeue(out var entry))
        {
            if (_inFlight.TryGetValue(entry.Key, out var chunk) && chunk.Sequence == entry.Sequence && !chunk.Lost)
            {
                chunk.Lost = true;
                _bytesInFlight -= chunk.Size;
                _retransmitQueue.Enqueue(chunk.Chunks.Start);
            }
        }
    }

    private bool TryGetOldestOutstanding(out InFlightChunk oldest)
    {
        while (_sentOrder.TryPeek(out var entry))
        {
            if (_inFlight.TryGetValue(entry.Key, out var chunk) && chunk.Sequence == entry.Sequence && !chunk.Lost)
            {
                oldest = chunk;
                return true;
            }

            _sentOrder.Dequeue();
        }

        oldest = null!;
        return false;
    }

    private void Forget(InFlightChunk chunk)
    {
        if (!chunk.Lost)
        {
            _bytesInFlight -= chunk.Size;
        }

        _inFlight.Remove(chunk.Chunks.Start);
        chunk.Payload = default;
        _spareChunks.Push(chunk);
    }

    // ---- Control messages ----

    private void EnqueueControl(OutgoingMessage message)
    {
        if (State == ChannelState.Closed)
        {
            return;
        }

        if (_control.Count >= _options.MaxQueuedControlMessages)
        {
            _control.Dequeue();
        }

        _control.Enqueue(message);
    }

    private void WriteControl(ref DatagramWriter writer)
    {
        while (_control.TryPeek(out var message))
        {
            if (!message.TryWrite(ref writer))
            {
                if (writer.IsKeepAlive)
                {
                    // Larger than an empty datagram can hold: it can never be sent.
                    _control.Dequeue();
                    continue;
                }

                return;
            }

            _control.Dequeue();
        }
    }

    private void Deliver(Message message)
    {
        var payload = message.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : message.Payload.ToArray();
        var peer = message.Type is MessageType.PexResV4 or MessageType.PexResV6 ? message.ToEndPoint() : null;
        _inbox.Enqueue(new ReceivedMessage(message.Type, message.Chunks, payload, message.Timestamp, peer, message.ExtensionId));
    }

    private ChunkSpec CheckSpec(ChunkSpec chunks)
    {
        if (chunks.Start > chunks.End)
        {
            throw new ArgumentException($"Chunk specification {chunks} starts after it ends.", nameof(chunks));
        }

        if (_format.ChunkSpecLength == sizeof(uint) * 2 && chunks.End > uint.MaxValue)
        {
            throw new ArgumentException($"Chunk specification {chunks} does not fit 32-bit chunk ranges.", nameof(chunks));
        }

        return chunks;
    }

    private void CloseWith(ChannelCloseReason reason, bool notifyPeer)
    {
        if (State == ChannelState.Closed)
        {
            return;
        }

        State = ChannelState.Closed;
        CloseReason = reason;
        _closePending = notifyPeer && RemoteChannelId != 0;
        _control.Clear();
        _dataQueue.Clear();
        _bytesQueued = 0;
        _retransmitQueue.Clear();
        _sentOrder.Clear();
        _inFlight.Clear();
        _bytesInFlight = 0;
        _pendingAcks.Clear();
    }

    private bool Sent(Instant now, int bytes, out int length)
    {
        length = bytes;
        _lastSent = now;
        _datagramsSent++;
        _bytesSent += bytes;
        return true;
    }
}
