using System.Net;
using Shoal.Engine.Channels;
using Shoal.Protocol;

namespace Shoal.Engine.Tests.Channels;

/// <summary>
/// A test owner around a <see cref="ChannelTable"/>: drains accepted channels and received messages after every
/// input (the polling order of ChannelTable's remarks), records every DATA delivered, and can "crash" (go silent).
/// </summary>
internal sealed class ChannelHost : IDatagramEngine
{
    public ChannelHost(int seed, Func<InboundHandshake, SwarmHandshake?>? acceptor, ChannelTableOptions? options = null)
    {
        Table = new ChannelTable(options, new Random(seed), acceptor);
    }

    public ChannelTable Table { get; }

    public List<PeerChannel> Accepted { get; } = [];

    public List<(PeerChannel Channel, ReceivedMessage Message)> Messages { get; } = [];

    /// <summary>Times each chunk was delivered, per channel's remote.</summary>
    public Dictionary<ulong, int> DeliveryCounts { get; } = [];

    /// <summary>Content bytes delivered per channel.</summary>
    public Dictionary<PeerChannel, long> BytesDelivered { get; } = [];

    /// <summary>Called for every message after it is recorded; the test's application logic.</summary>
    public Action<PeerChannel, ReceivedMessage, Instant>? OnMessage { get; set; }

    /// <summary>A crashed host hears nothing, sends nothing and wakes for nothing.</summary>
    public bool Crashed { get; set; }

    public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        if (Crashed)
        {
            return;
        }

        Table.Receive(now, from, datagram);
        Drain(now);
    }

    public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length)
    {
        if (Crashed)
        {
            to = null!;
            length = 0;
            return false;
        }

        return Table.TryPollTransmit(now, buffer, out to, out length);
    }

    public Instant? NextWakeUp => Crashed ? null : Table.NextWakeUp;

    public void WakeUp(Instant now)
    {
        if (Crashed)
        {
            return;
        }

        Table.WakeUp(now);
        Drain(now);
    }

    private void Drain(Instant now)
    {
        while (Table.TryPollAccepted(out var channel))
        {
            Accepted.Add(channel);
        }

        foreach (var channel in Table.Channels.ToArray())
        {
            while (channel.TryPollMessage(out var message))
            {
                Messages.Add((channel, message));
                if (message.Type == MessageType.Data)
                {
                    DeliveryCounts[message.Chunks.Start] = DeliveryCounts.GetValueOrDefault(message.Chunks.Start) + 1;
                    BytesDelivered[channel] = BytesDelivered.GetValueOrDefault(channel) + message.Payload.Length;
                }

                OnMessage?.Invoke(channel, message, now);
            }
        }
    }
}
