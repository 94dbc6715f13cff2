using System.Net;
using Shoal.Engine.Channels;
using Shoal.Protocol;

namespace Shoal.Engine.Tests.Channels;

/// <summary>Version negotiation (RFC 7574 §7.2-§7.3) and refusals, at the datagram level.</summary>
public sealed class HandshakeNegotiationTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.7"), 6778);

    private static byte[] Opening(uint source, byte version, byte minimum, byte[]? swarm = null)
    {
        var buffer = new byte[200];
        var writer = new DatagramWriter(buffer, 0, WireFormat.Shoal);
        writer.TryWriteHandshake(source, new HandshakeOptions
        {
            Version = version,
            MinimumVersion = minimum,
            SwarmId = swarm ?? TestSwarm.Id.ToArray(),
            ContentIntegrityProtectionMethod = ContentIntegrityProtectionMethod.MerkleHashTree,
            MerkleHashFunction = MerkleHashFunction.Sha256,
            ChunkAddressing = ChunkAddressingMethod.ChunkRanges32,
            ChunkSize = 1024,
        });
        return writer.Written.ToArray();
    }

    private static (uint Channel, bool IsClose, byte? Version) Answer(ChannelTable table)
    {
        var buffer = new byte[1500];
        Assert.True(table.TryPollTransmit(Instant.Zero, buffer, out var to, out var length));
        Assert.Equal(Peer, to);
        Assert.True(DatagramReader.TryOpen(buffer.AsSpan(0, length), WireFormat.Shoal, out var reader, out _));
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(MessageType.Handshake, message.Type);
        return (reader.ChannelId, message.IsClose, message.Handshake.Version);
    }

    [Fact]
    public void A_peer_speaking_versions_1_to_3_gets_version_1()
    {
        var table = new ChannelTable(null, new Random(1), TestSwarm.Accept);

        table.Receive(Instant.Zero, Peer, Opening(source: 0xABCD, version: 3, minimum: 1));

        Assert.True(table.TryPollAccepted(out var channel));
        Assert.Equal(VersionNegotiation.Rfc7574, channel.Version);
        var answer = Answer(table);
        Assert.Equal(0xABCDu, answer.Channel);
        Assert.False(answer.IsClose);
        Assert.Equal(VersionNegotiation.Rfc7574, answer.Version);
    }

    [Fact]
    public void A_peer_that_only_speaks_version_2_is_refused_with_a_closing_handshake()
    {
        var table = new ChannelTable(null, new Random(1), TestSwarm.Accept);

        table.Receive(Instant.Zero, Peer, Opening(source: 0x1234, version: 2, minimum: 2));

        Assert.False(table.TryPollAccepted(out _));
        var answer = Answer(table);
        Assert.Equal(0x1234u, answer.Channel);
        Assert.True(answer.IsClose);
        Assert.Equal(VersionNegotiation.ShoalMaximum, answer.Version);
        Assert.Equal(1, table.RefusedHandshakes);
    }

    [Fact]
    public void A_repeated_opening_handshake_is_answered_again_without_a_second_channel()
    {
        var table = new ChannelTable(null, new Random(1), TestSwarm.Accept);
        var opening = Opening(source: 77, version: 1, minimum: 1);
        table.Receive(Instant.Zero, Peer, opening);
        var first = Answer(table);

        table.Receive(Instant.Zero, Peer, opening);

        Assert.Single(table.Channels);
        var second = Answer(table);
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_responder_answers_a_spoofed_opening_once_and_then_forgets_it_silently()
    {
        var table = new ChannelTable(null, new Random(1), TestSwarm.Accept);
        table.Receive(Instant.Zero, Peer, Opening(source: 9, version: 1, minimum: 1));
        Assert.True(table.TryPollAccepted(out var channel));

        var sent = 0;
        var buffer = new byte[1500];
        for (var now = Instant.Zero; now < Instant.FromSeconds(60); now += TimeSpan.FromMilliseconds(100))
        {
            table.WakeUp(now);
            while (table.TryPollTransmit(now, buffer, out _, out _))
            {
                sent++;
            }
        }

        // No amplification towards an address that never proved itself (datagram 3 never came).
        Assert.Equal(1, sent);
        Assert.Equal(ChannelCloseReason.HandshakeTimedOut, channel.CloseReason);
        Assert.Empty(table.Channels);
    }

    [Fact]
    public void A_flood_of_openings_is_capped_at_the_half_open_backlog()
    {
        var table = new ChannelTable(new ChannelTableOptions { MaxHalfOpenChannels = 8 }, new Random(1), TestSwarm.Accept);

        for (uint source = 1; source <= 100; source++)
        {
            table.Receive(Instant.Zero, new IPEndPoint(IPAddress.Parse("203.0.113.9"), (int)source), Opening(source, version: 1, minimum: 1));
        }

        // The backlog holds the 8 newest; the 92 older half-open channels were forgotten without a reply.
        Assert.Equal(8, table.Channels.Count);
        Assert.Equal(92, table.RefusedHandshakes);
        Assert.All(table.Channels, channel => Assert.True(channel.RemoteChannelId > 92));
    }

    [Fact]
    public void An_initiator_refused_for_its_version_closes_with_version_mismatch()
    {
        var table = new ChannelTable(null, new Random(1), null);
        var channel = table.Connect(Instant.Zero, Peer, TestSwarm.Handshake);
        var buffer = new byte[1500];
        Assert.True(table.TryPollTransmit(Instant.Zero, buffer, out _, out _));

        var refusal = new byte[64];
        var writer = new DatagramWriter(refusal, channel.LocalChannelId, WireFormat.Shoal);
        writer.TryWriteClose(maximumVersion: 9);
        table.Receive(Instant.FromMilliseconds(5), Peer, writer.Written);

        Assert.Equal(ChannelState.Closed, channel.State);
        Assert.Equal(ChannelCloseReason.VersionMismatch, channel.CloseReason);
    }

    [Fact]
    public void Datagrams_from_an_address_that_does_not_own_the_channel_are_ignored()
    {
        var table = new ChannelTable(null, new Random(1), TestSwarm.Accept);
        table.Receive(Instant.Zero, Peer, Opening(source: 5, version: 1, minimum: 1));
        Assert.True(table.TryPollAccepted(out var channel));
        var keepAlive = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(keepAlive, channel.LocalChannelId);

        table.Receive(Instant.Zero, new IPEndPoint(IPAddress.Parse("198.51.100.1"), 6778), keepAlive);

        Assert.Equal(ChannelState.Connecting, channel.State);
        Assert.Equal(1, table.UnknownChannelDatagrams);
        table.Receive(Instant.Zero, Peer, keepAlive);
        Assert.Equal(ChannelState.Open, channel.State);
    }
}
