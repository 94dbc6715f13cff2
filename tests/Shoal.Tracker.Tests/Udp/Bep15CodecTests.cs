using System.Buffers.Binary;
using CsCheck;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Tests.Udp;

public sealed class Bep15CodecTests
{
    private static readonly Gen<Rid> GenRid = Gen.Byte.Array[Rid.Length].Select(b => Rid.FromBytes(b));
    private static readonly Gen<PeerId> GenPeerId = Gen.Byte.Array[PeerId.Length].Select(b => PeerId.FromBytes(b));

    private static readonly Gen<AnnounceRequest> GenAnnounce =
        Gen.Select(Gen.ULong, Gen.Int, GenRid, GenPeerId, Gen.Long, Gen.Long, Gen.Long, Gen.Int[0, 3])
            .SelectMany(t => Gen.Select(Gen.UInt, Gen.UInt, Gen.Int, Gen.UShort).Select(u =>
                new AnnounceRequest(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, (AnnounceEvent)t.Item8, u.Item1, u.Item2, u.Item3, u.Item4)));

    private static readonly Gen<PeerEndpoint> GenV4Peer = Gen.Select(Gen.UInt, Gen.UShort).Select((a, p) => PeerEndpoint.FromIPv4(a, p));
    private static readonly Gen<PeerEndpoint> GenV6Peer = Gen.Select(Gen.ULong, Gen.ULong, Gen.UShort)
        .Select((hi, lo, p) => new PeerEndpoint(new UInt128(hi | (1UL << 62), lo), p)); // never IPv4-mapped

    [Fact]
    public void Connect_request_matches_the_hand_assembled_BEP15_bytes()
    {
        // BEP 15: protocol_id 0x41727101980, action 0, transaction id.
        byte[] expected = [0x00, 0x00, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80, 0, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF];
        var buffer = new byte[16];
        Assert.Equal(16, Bep15Codec.WriteConnectRequest(buffer, unchecked((int)0xDEADBEEF)));
        Assert.Equal(expected, buffer);
        Assert.True(Bep15Codec.TryReadConnectRequest(expected, out var transaction, out _));
        Assert.Equal(unchecked((int)0xDEADBEEF), transaction);
    }

    [Fact]
    public void Announce_request_reads_the_fields_at_their_BEP15_offsets()
    {
        var packet = new byte[98];
        BinaryPrimitives.WriteUInt64BigEndian(packet, 0x0102030405060708);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), 77);
        packet.AsSpan(16, 20).Fill(0xAA);
        packet.AsSpan(36, 20).Fill(0xBB);
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(56), 1000);
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(64), 2000);
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(72), 3000);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(80), 2);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(84), 0x7F000001);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(88), 0x12345678);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(92), -1);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(96), 6881);

        Assert.True(Bep15Codec.TryReadAnnounceRequest(packet, out var request, out var error), error.ToString());
        Assert.Equal(0x0102030405060708UL, request.ConnectionId);
        Assert.Equal(77, request.TransactionId);
        Assert.Equal(Rid.FromBytes(Enumerable.Repeat((byte)0xAA, 20).ToArray()), request.InfoHash);
        Assert.Equal(PeerId.FromBytes(Enumerable.Repeat((byte)0xBB, 20).ToArray()), request.PeerId);
        Assert.Equal((1000L, 2000L, 3000L), (request.Downloaded, request.Left, request.Uploaded));
        Assert.Equal(AnnounceEvent.Started, request.Event);
        Assert.Equal((0x7F000001u, 0x12345678u, -1, (ushort)6881), (request.IPv4, request.Key, request.NumWant, request.Port));
    }

    [Fact]
    public void Announce_request_round_trips() =>
        GenAnnounce.Sample(request =>
        {
            var buffer = new byte[Bep15Codec.AnnounceRequestLength];
            Bep15Codec.WriteAnnounceRequest(buffer, request);
            return Bep15Codec.TryReadAnnounceRequest(buffer, out var read, out _) && read == request;
        });

    [Fact]
    public void Announce_response_round_trips_for_IPv4_and_IPv6() =>
        Gen.Select(Gen.Int, Gen.Int, Gen.Int, Gen.Int, GenV4Peer.Array[0, 60], GenV6Peer.Array[0, 20], Gen.Bool).Sample((tx, interval, leechers, seeders, v4, v6, ipv6) =>
        {
            var peers = ipv6 ? v6 : v4;
            var buffer = new byte[2048];
            var header = new AnnounceResponseHeader(tx, interval, leechers, seeders);
            var length = Bep15Codec.WriteAnnounceResponse(buffer, header, peers, ipv6);
            if (!Bep15Codec.TryReadAnnounceResponse(buffer.AsSpan(0, length), ipv6, out var read, out var peerBytes, out _) || read != header)
            {
                return false;
            }

            var entry = ipv6 ? 18 : 6;
            var decoded = Enumerable.Range(0, peerBytes.Length / entry).Select(i => PeerEndpoint.ReadCompact(buffer.AsSpan(20 + (i * entry)), ipv6)).ToArray();
            return decoded.SequenceEqual(peers);
        });

    [Fact]
    public void Scrape_request_and_response_round_trip() =>
        Gen.Select(Gen.ULong, Gen.Int, GenRid.Array[1, Bep15Codec.MaxScrapeInfoHashes]).Sample((connectionId, tx, rids) =>
        {
            var buffer = new byte[2048];
            var length = Bep15Codec.WriteScrapeRequest(buffer, connectionId, tx, rids);
            if (!Bep15Codec.TryReadScrapeRequest(buffer.AsSpan(0, length), out var c, out var t, out var hashes, out _) || c != connectionId || t != tx)
            {
                return false;
            }

            var readRids = Enumerable.Range(0, rids.Length).Select(i => Rid.FromBytes(buffer.AsSpan(16 + (i * 20), 20))).ToArray();
            var entries = rids.Select((r, i) => new ScrapeEntry(i, i * 2, i * 3)).ToArray();
            var responseLength = Bep15Codec.WriteScrapeResponse(buffer, tx, entries);
            return hashes.Length == rids.Length * 20
                && readRids.SequenceEqual(rids)
                && responseLength < length // a scrape answer is always smaller than the question
                && Bep15Codec.TryReadScrapeResponse(buffer.AsSpan(0, responseLength), out var t2, out var raw, out _)
                && t2 == tx
                && raw.Length == entries.Length * 12
                && Enumerable.Range(0, rids.Length).All(i => Bep15Codec.ReadScrapeEntry(buffer.AsSpan(8 + (i * 12))) == entries[i]);
        });

    [Fact]
    public void Error_round_trips_and_is_cut_to_the_room_given() =>
        Gen.Select(Gen.Int, Gen.String, Gen.Int[8, 200]).Sample((tx, message, room) =>
        {
            var buffer = new byte[room];
            var length = Bep15Codec.WriteError(buffer, tx, message);
            return length <= room
                && Bep15Codec.TryReadError(buffer.AsSpan(0, length), out var t, out var read, out _)
                && t == tx
                && message.StartsWith(read, StringComparison.Ordinal);
        });

    [Fact]
    public void Decoders_never_throw_on_arbitrary_bytes() =>
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            Bep15Codec.TryReadRequestHeader(bytes, out _, out _, out _, out _);
            Bep15Codec.TryReadAnnounceRequest(bytes, out _, out _);
            Bep15Codec.TryReadScrapeRequest(bytes, out _, out _, out _, out _);
            Bep15Codec.TryReadConnectResponse(bytes, out _, out _, out _);
            Bep15Codec.TryReadAnnounceResponse(bytes, false, out _, out _, out _);
            Bep15Codec.TryReadAnnounceResponse(bytes, true, out _, out _, out _);
            Bep15Codec.TryReadScrapeResponse(bytes, out _, out _, out _);
            Bep15Codec.TryReadError(bytes, out _, out _, out _);
        });

    [Fact]
    public void Rejects_short_and_foreign_packets_with_a_reason()
    {
        var truncated = new byte[97];
        BinaryPrimitives.WriteInt32BigEndian(truncated.AsSpan(8), 1);
        Assert.False(Bep15Codec.TryReadAnnounceRequest(truncated, out _, out var error));
        Assert.Equal(Bep15Error.TooShort, error);

        var connect = new byte[16];
        Bep15Codec.WriteConnectRequest(connect, 1);
        connect[7] ^= 1;
        Assert.False(Bep15Codec.TryReadRequestHeader(connect, out _, out _, out _, out error));
        Assert.Equal(Bep15Error.BadProtocolId, error);

        var scrape = new byte[16 + (75 * 20)];
        BinaryPrimitives.WriteInt32BigEndian(scrape.AsSpan(8), 2);
        Assert.False(Bep15Codec.TryReadScrapeRequest(scrape, out _, out _, out _, out error));
        Assert.Equal(Bep15Error.TooManyInfoHashes, error);

        var announce = new byte[98];
        BinaryPrimitives.WriteInt32BigEndian(announce.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32BigEndian(announce.AsSpan(80), 9);
        Assert.False(Bep15Codec.TryReadAnnounceRequest(announce, out _, out error));
        Assert.Equal(Bep15Error.UnknownEvent, error);
    }
}
