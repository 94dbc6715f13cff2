using System.Net;
using Shoal.Core.Identity;
using Shoal.Protocol;

namespace Shoal.Engine.Channels;

/// <summary>
/// Every <see cref="PeerChannel"/> of one node, multiplexed over one UDP socket by channel id (RFC 7574 §8.3):
/// routes datagrams to channels, answers new inbound handshakes after asking the owner, and gathers the
/// channels' datagrams and timers for the driver. Sans-IO.
/// </summary>
/// <remarks>
/// <para>Driver and owner, in the manner of quinn-proto's <c>Endpoint</c> + <c>Connection</c>:</para>
/// <list type="number">
/// <item>Inputs: <see cref="Receive"/> (a datagram, any source), <see cref="WakeUp"/> (the timer fired), and the
/// owner's commands (<see cref="Connect"/>, a channel's <c>Send…</c>/<c>Close</c>).</item>
/// <item>After each input the owner drains <see cref="TryPollAccepted"/> (channels a peer opened and the acceptor
/// admitted) and each channel's <see cref="PeerChannel.TryPollMessage"/>.</item>
/// <item>Then the driver drains <see cref="TryPollTransmit"/> onto the socket (channels take turns, one datagram
/// each, so one bulk transfer cannot starve the others).</item>
/// <item>Last, the driver arms one timer for <see cref="NextWakeUp"/>.</item>
/// </list>
/// <para>The acceptor decides, synchronously and from the HANDSHAKE alone, whether to admit a new channel and with
/// which swarm options; refusals get a closing HANDSHAKE (RFC 7574 §8.4) so the initiator stops retrying.</para>
/// </remarks>
public sealed class ChannelTable : IDatagramEngine
{
    private readonly ChannelTableOptions _options;
    private readonly Random _random;
    private readonly Func<InboundHandshake, SwarmHandshake?>? _acceptor;
    private readonly Dictionary<uint, PeerChannel> _channels = [];
    private readonly Dictionary<(IPEndPoint Remote, uint RemoteChannel), PeerChannel> _inbound = [];
    private readonly List<PeerChannel> _order = [];
    private readonly Queue<PeerChannel> _accepted = new();
    private readonly Queue<(IPEndPoint To, uint Channel)> _refusals = new();
    private int _cursor;

    /// <param name="options">Settings; <see cref="ChannelTableOptions.Default"/> when null.</param>
    /// <param name="random">The seeded source of channel ids (owned by the driver, RFC 7574 §12.1: ids should be unpredictable).</param>
    /// <param name="acceptor">Decides on each new inbound handshake: our swarm options to admit it, null to refuse. Null refuses all.</param>
    public ChannelTable(ChannelTableOptions? options, Random random, Func<InboundHandshake, SwarmHandshake?>? acceptor)
    {
        ArgumentNullException.ThrowIfNull(random);
        _options = options ?? ChannelTableOptions.Default;
        _random = random;
        _acceptor = acceptor;
    }

    /// <summary>Live channels (closed ones linger until their closing HANDSHAKE is sent).</summary>
    public IReadOnlyList<PeerChannel> Channels => _order;

    /// <summary>Datagrams too short or malformed to route.</summary>
    public long MalformedDatagrams { get; private set; }

    /// <summary>Datagrams for a channel id we do not have, or from an address that does not own the channel.</summary>
    public long UnknownChannelDatagrams { get; private set; }

    /// <summary>Inbound handshakes refused (unknown swarm, version mismatch, incompatible options, table full).</summary>
    public long RefusedHandshakes { get; private set; }

    /// <summary>Opens a channel to <paramref name="remote"/> for a swarm; the HANDSHAKE goes out at the next poll.</summary>
    public PeerChannel Connect(Instant now, IPEndPoint remote, SwarmHandshake swarm)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(swarm);
        var channel = new PeerChannel(NewChannelId(), remote, swarm, _options.Channel, now, isInitiator: true, remoteChannelId: 0, version: 0);
        Add(channel);
        return channel;
    }

    /// <summary>A channel a peer opened and the acceptor admitted, once each.</summary>
    public bool TryPollAccepted(out PeerChannel channel) => _accepted.TryDequeue(out channel!);

    public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (!DatagramReader.TryReadChannelId(datagram, out var channelId))
        {
            MalformedDatagrams++;
            return;
        }

        if (channelId == 0)
        {
            OnOpening(now, from, datagram);
            return;
        }

        if (_channels.TryGetValue(channelId, out var channel) && channel.Remote.Equals(from))
        {
            channel.Receive(now, datagram);
            return;
        }

        UnknownChannelDatagrams++;
    }

    public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length)
    {
        if (_refusals.TryDequeue(out var refusal))
        {
            var writer = new DatagramWriter(buffer, refusal.Channel, WireFormat.Shoal);
            writer.TryWriteClose(VersionNegotiation.ShoalMaximum);
            to = refusal.To;
            length = writer.BytesWritten;
            return true;
        }

        var count = _order.Count;
        for (var i = 0; i < count; i++)
        {
            var index = (_cursor + i) % count;
            var channel = _order[index];
            if (channel.TryPollTransmit(now, buffer, out length))
            {
                _cursor = (index + 1) % count;
                to = channel.Remote;
                return true;
            }
        }

        RemoveFinished();
        to = null!;
        length = 0;
        return false;
    }

    public Instant? NextWakeUp
    {
        get
        {
            Instant? wake = null;
            foreach (var channel in _order)
            {
                wake = Instant.Earliest(wake, channel.NextWakeUp);
            }

            return wake;
        }
    }

    public void WakeUp(Instant now)
    {
        foreach (var channel in _order)
        {
            channel.WakeUp(now);
        }

        RemoveFinished();
    }

    private void OnOpening(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        // RFC 7574 §8.4: channel id 0 carries the initiator's HANDSHAKE with its own channel id as source.
        if (!DatagramReader.TryOpen(datagram, WireFormat.Shoal, out var reader, out _)
            || !reader.TryRead(out var message, out _)
            || message.Type != MessageType.Handshake
            || message.SourceChannelId == 0)
        {
            MalformedDatagrams++;
            return;
        }

        var key = (from, message.SourceChannelId);
        if (_inbound.TryGetValue(key, out var existing))
        {
            existing.OnHandshakeRepeated();
            return;
        }

        var options = message.Handshake;
        if (options.Version is not { } theirs
            || !VersionNegotiation.TryNegotiate(VersionNegotiation.ShoalMinimum, VersionNegotiation.ShoalMaximum, options.MinimumVersion, theirs, out var version)
            || options.SwarmId.Length != Rid.Length
            || _channels.Count >= _options.MaxChannels
            || _acceptor is null)
        {
            Refuse(from, message.SourceChannelId);
            return;
        }

        var inbound = new InboundHandshake(
            from,
            Rid.FromBytes(options.SwarmId),
            version,
            options.ChunkAddressing,
            options.ChunkSize,
            options.MerkleHashFunction,
            options.ContentIntegrityProtectionMethod);
        if (_acceptor(inbound) is not { } swarm || swarm.SwarmId != inbound.SwarmId || !inbound.IsCompatibleWith(swarm))
        {
            Refuse(from, message.SourceChannelId);
            return;
        }

        EvictHalfOpenBeyondBacklog();
        var channel = new PeerChannel(NewChannelId(), from, swarm, _options.Channel, now, isInitiator: false, message.SourceChannelId, version);
        Add(channel);
        _inbound[key] = channel;
        _accepted.Enqueue(channel);
    }

    /// <summary>
    /// Keeps at most <see cref="ChannelTableOptions.MaxHalfOpenChannels"/> - 1 half-open channels before a new one is
    /// added, forgetting the oldest silently: a flood of spoofed openings then costs a bounded table, and a genuine
    /// initiator (whose datagram 3 follows within a round trip) still gets in once the flood is not faster than that.
    /// </summary>
    private void EvictHalfOpenBeyondBacklog()
    {
        PeerChannel? oldest = null;
        var count = 0;
        foreach (var channel in _order)
        {
            if (!channel.IsInitiator && channel.State == ChannelState.Connecting)
            {
                count++;
                oldest ??= channel;
            }
        }

        if (oldest is not null && count >= _options.MaxHalfOpenChannels)
        {
            RefusedHandshakes++;
            oldest.Abandon();
            RemoveFinished();
        }
    }

    private void Refuse(IPEndPoint to, uint channel)
    {
        RefusedHandshakes++;
        if (_refusals.Count < _options.MaxPendingRefusals)
        {
            _refusals.Enqueue((to, channel));
        }
    }

    private void Add(PeerChannel channel)
    {
        _channels.Add(channel.LocalChannelId, channel);
        _order.Add(channel);
    }

    private void RemoveFinished()
    {
        for (var i = _order.Count - 1; i >= 0; i--)
        {
            var channel = _order[i];
            if (!channel.IsFinished)
            {
                continue;
            }

            _order.RemoveAt(i);
            _channels.Remove(channel.LocalChannelId);
            if (!channel.IsInitiator)
            {
                _inbound.Remove((channel.Remote, channel.RemoteChannelId));
            }
        }

        if (_cursor >= _order.Count)
        {
            _cursor = 0;
        }
    }

    private uint NewChannelId()
    {
        // RFC 7574 §12.1: random channel ids make off-path injection harder; 0 is reserved for opening.
        while (true)
        {
            var id = (uint)_random.NextInt64(1, uint.MaxValue + 1L);
            if (!_channels.ContainsKey(id))
            {
                return id;
            }
        }
    }
}
