namespace Shoal.Protocol.Tests;

/// <summary>
/// Byte layouts pinned by hand-assembled datagrams, field by field from RFC 7574 §7-§8: each vector is both
/// decoded (fields checked) and re-encoded (bytes checked), so a change to either direction shows here.
/// </summary>
public sealed class TestVectorTests
{
    private static readonly WireFormat Shoal = WireFormat.Shoal;

    private static string Write(WireFormat format, uint channel, WriteAction action)
    {
        var buffer = new byte[2048];
        var writer = new DatagramWriter(buffer, channel, format);
        Assert.True(action(ref writer));
        return Hex.Of(writer.Written);
    }

    private delegate bool WriteAction(ref DatagramWriter writer);

    private static DatagramReader Open(byte[] datagram, WireFormat format)
    {
        Assert.True(DatagramReader.TryOpen(datagram, format, out var reader, out var error));
        Assert.Equal(DecodeError.None, error);
        return reader;
    }

    private static void AssertEnd(ref DatagramReader reader)
    {
        Assert.False(reader.TryRead(out _, out var error));
        Assert.Equal(DecodeError.None, error);
    }

    [Fact]
    public void Keepalive_is_the_channel_id_alone()
    {
        var datagram = Hex.Bytes("0000002A");
        var reader = Open(datagram, Shoal);
        Assert.True(reader.IsKeepAlive);
        Assert.Equal(42u, reader.ChannelId);
        AssertEnd(ref reader);
        Assert.Equal("0000002A", Write(Shoal, 42, (ref DatagramWriter w) => w.IsKeepAlive));
    }

    [Fact]
    public void Have_with_32_bit_chunk_ranges()
    {
        const string Vector = "0000002A 03 00000000 00000003";
        var reader = Open(Hex.Bytes(Vector), Shoal);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(MessageType.Have, message.Type);
        Assert.Equal(new ChunkSpec(0, 3), message.Chunks);
        AssertEnd(ref reader);
        Assert.Equal(Vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 42, (ref DatagramWriter w) => w.TryWriteHave(new ChunkSpec(0, 3))));
    }

    [Fact]
    public void Have_with_a_32_bit_bin_matches_the_rfc_example()
    {
        // RFC 7574 §8.2: "a HAVE message ... using bin chunk addressing ... bin number ... 1 ... written in hex as 0300000001".
        var bins = WireFormat.Rfc7574Default with { ChunkAddressing = ChunkAddressingMethod.Bins32 };
        var reader = Open(Hex.Bytes("00000001 0300000001"), bins);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(new ChunkSpec(0, 1), message.Chunks); // Bin 1 is layer 1, offset 0: chunks 0 and 1 (RFC 7574 §4.2).
        Assert.Equal("000000010300000001", Write(bins, 1, (ref DatagramWriter w) => w.TryWriteHave(new ChunkSpec(0, 1))));
    }

    [Theory]
    [InlineData(0u, 0ul, 0ul)]
    [InlineData(2u, 1ul, 1ul)]
    [InlineData(3u, 0ul, 3ul)]
    [InlineData(5u, 2ul, 3ul)]
    [InlineData(7u, 0ul, 7ul)]
    [InlineData(0xFFFF_FFFFu, 0ul, 0xFFFF_FFFFul)]
    public void Bins_name_the_aligned_ranges_of_rfc_7574_section_4_2(uint bin, ulong start, ulong end)
    {
        var bins = WireFormat.Rfc7574Default with { ChunkAddressing = ChunkAddressingMethod.Bins32 };
        var datagram = Hex.Bytes($"00000001 03 {bin:X8}");
        var reader = Open(datagram, bins);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(new ChunkSpec(start, end), message.Chunks);
        Assert.Equal(Hex.Of(datagram), Write(bins, 1, (ref DatagramWriter w) => w.TryWriteHave(new ChunkSpec(start, end))));
    }

    [Fact]
    public void Data_carries_range_timestamp_and_content_and_a_short_last_chunk_ends_the_datagram()
    {
        const string Vector = "00000007 01 00000005 00000005 0000000000000102 616263";
        var reader = Open(Hex.Bytes(Vector), Shoal);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(MessageType.Data, message.Type);
        Assert.Equal(ChunkSpec.Single(5), message.Chunks);
        Assert.Equal(0x102ul, message.Timestamp);
        Assert.Equal("abc"u8.ToArray(), message.Payload.ToArray());
        AssertEnd(ref reader);
        Assert.Equal(Vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 7, (ref DatagramWriter w) => w.TryWriteData(ChunkSpec.Single(5), 0x102, "abc"u8) && w.IsSealed));
    }

    [Fact]
    public void Full_chunks_of_data_are_framed_by_the_chunk_size_and_followed_by_more_messages()
    {
        var format = Shoal with { ChunkSize = 4 };
        const string Vector = "00000007 01 00000002 00000003 0000000000000009 41424344 45464748 0A";
        var reader = Open(Hex.Bytes(Vector), format);
        Assert.True(reader.TryRead(out var data, out _));
        Assert.Equal(new ChunkSpec(2, 3), data.Chunks);
        Assert.Equal("ABCDEFGH"u8.ToArray(), data.Payload.ToArray());
        Assert.True(reader.TryRead(out var choke, out _));
        Assert.Equal(MessageType.Choke, choke.Type);
        AssertEnd(ref reader);
        Assert.Equal(Vector.Replace(" ", "", StringComparison.Ordinal), Write(format, 7, (ref DatagramWriter w) => w.TryWriteData(new ChunkSpec(2, 3), 9, "ABCDEFGH"u8) && w.TryWriteChoke()));
    }

    [Fact]
    public void Ack_carries_the_one_way_delay_sample()
    {
        const string Vector = "00000007 02 00000000 0000000F 00000000000186A0 02 00000010 00000010 FFFFFFFFFFFFFF9C";
        var reader = Open(Hex.Bytes(Vector), Shoal);
        Assert.True(reader.TryRead(out var first, out _));
        Assert.Equal(MessageType.Ack, first.Type);
        Assert.Equal(new ChunkSpec(0, 15), first.Chunks);
        Assert.Equal(100_000L, first.OneWayDelaySample);
        Assert.True(reader.TryRead(out var second, out _));
        Assert.Equal(-100L, second.OneWayDelaySample);
        AssertEnd(ref reader);
        Assert.Equal(Vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 7, (ref DatagramWriter w) => w.TryWriteAck(new ChunkSpec(0, 15), 100_000) && w.TryWriteAck(ChunkSpec.Single(16), -100)));
    }

    [Fact]
    public void Integrity_carries_a_sha256_hash_under_shoal_and_a_sha1_hash_under_the_rfc_default()
    {
        var sha256 = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var vector = "00000007 04 00000000 00000001 " + Hex.Of(sha256);
        var reader = Open(Hex.Bytes(vector), Shoal);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(MessageType.Integrity, message.Type);
        Assert.Equal(new ChunkSpec(0, 1), message.Chunks);
        Assert.Equal(sha256, message.Payload.ToArray());
        AssertEnd(ref reader);
        Assert.Equal(vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 7, (ref DatagramWriter w) => w.TryWriteIntegrity(new ChunkSpec(0, 1), sha256)));

        var sha1 = sha256[..20];
        var rfcVector = "00000007 04 00000002 00000003 " + Hex.Of(sha1) + " 08 00000002 00000002";
        var rfcReader = Open(Hex.Bytes(rfcVector), WireFormat.Rfc7574Default);
        Assert.True(rfcReader.TryRead(out var rfcIntegrity, out _));
        Assert.Equal(sha1, rfcIntegrity.Payload.ToArray());
        Assert.True(rfcReader.TryRead(out var request, out _));
        Assert.Equal(MessageType.Request, request.Type);
        AssertEnd(ref rfcReader);
    }

    [Fact]
    public void Signed_integrity_carries_an_ntp_timestamp_and_an_ed25519_signature()
    {
        var signature = Enumerable.Range(100, 64).Select(i => (byte)i).ToArray();
        var vector = "00000007 07 00000000 000003FF E7A1B2C300000000 " + Hex.Of(signature);
        var reader = Open(Hex.Bytes(vector), Shoal);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(MessageType.SignedIntegrity, message.Type);
        Assert.Equal(new ChunkSpec(0, 1023), message.Chunks);
        Assert.Equal(0xE7A1B2C300000000ul, message.Timestamp);
        Assert.Equal(signature, message.Payload.ToArray());
        AssertEnd(ref reader);
        Assert.Equal(vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 7, (ref DatagramWriter w) => w.TryWriteSignedIntegrity(new ChunkSpec(0, 1023), 0xE7A1B2C300000000, signature)));
    }

    [Fact]
    public void Request_cancel_choke_unchoke_and_pex_request_have_their_rfc_type_bytes()
    {
        const string Vector = "00000007 08 00000010 0000001F 09 00000010 00000013 0A 0B 06";
        var reader = Open(Hex.Bytes(Vector), Shoal);
        Assert.True(reader.TryRead(out var request, out _));
        Assert.Equal((MessageType.Request, new ChunkSpec(16, 31)), (request.Type, request.Chunks));
        Assert.True(reader.TryRead(out var cancel, out _));
        Assert.Equal((MessageType.Cancel, new ChunkSpec(16, 19)), (cancel.Type, cancel.Chunks));
        Assert.True(reader.TryRead(out var choke, out _));
        Assert.Equal(MessageType.Choke, choke.Type);
        Assert.True(reader.TryRead(out var unchoke, out _));
        Assert.Equal(MessageType.Unchoke, unchoke.Type);
        Assert.True(reader.TryRead(out var pexReq, out _));
        Assert.Equal(MessageType.PexReq, pexReq.Type);
        AssertEnd(ref reader);
        Assert.Equal(Vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 7, (ref DatagramWriter w) =>
            w.TryWriteRequest(new ChunkSpec(16, 31)) && w.TryWriteCancel(new ChunkSpec(16, 19)) && w.TryWriteChoke() && w.TryWriteUnchoke() && w.TryWritePexRequest()));
    }

    [Fact]
    public void Pex_responses_carry_ipv4_ipv6_and_certificates()
    {
        const string Vector = "00000007 05 C0000201 1A7A 0C 20010DB8000000000000000000000001 1A7B 0D 0003 AABBCC";
        var reader = Open(Hex.Bytes(Vector), Shoal);
        Assert.True(reader.TryRead(out var v4, out _));
        Assert.Equal(MessageType.PexResV4, v4.Type);
        Assert.Equal("192.0.2.1:6778", v4.ToEndPoint().ToString());
        Assert.True(reader.TryRead(out var v6, out _));
        Assert.Equal(MessageType.PexResV6, v6.Type);
        Assert.Equal("[2001:db8::1]:6779", v6.ToEndPoint().ToString());
        Assert.True(reader.TryRead(out var cert, out _));
        Assert.Equal(MessageType.PexResCert, cert.Type);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, cert.Payload.ToArray());
        AssertEnd(ref reader);
        Assert.Equal(Vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 7, (ref DatagramWriter w) =>
            w.TryWritePexResponse(System.Net.IPEndPoint.Parse("192.0.2.1:6778"))
            && w.TryWritePexResponse(System.Net.IPEndPoint.Parse("[2001:db8::1]:6779"))
            && w.TryWritePexResponseCertificate([0xAA, 0xBB, 0xCC])));
    }

    [Fact]
    public void Shoal_extension_envelope_has_id_length_and_body()
    {
        const string Vector = "00000007 F0 00 0009 73686F616C2F302E31";
        var reader = Open(Hex.Bytes(Vector), Shoal);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(MessageType.ShoalExtension, message.Type);
        Assert.Equal(ShoalExtensionId.Agent, message.ExtensionId);
        Assert.Equal("shoal/0.1"u8.ToArray(), message.Payload.ToArray());
        AssertEnd(ref reader);
        Assert.Equal(Vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 7, (ref DatagramWriter w) => w.TryWriteExtension(ShoalExtensionId.Agent, "shoal/0.1"u8)));
    }

    // The first datagram of a Shoal channel: destination channel 0, HANDSHAKE from source channel 0x11223344
    // with every option (live swarm), then a HAVE under the format the handshake announced.
    private const string FullHandshake =
        "00000000" +            // destination channel: 0 opens a channel (RFC 7574 §8.4)
        "00 11223344" +         // HANDSHAKE, source channel id
        "00 01" +               // Version 1 (§7.2)
        "01 01" +               // Minimum Version 1 (§7.3)
        "02 0014 000102030405060708090A0B0C0D0E0F10111213" + // Swarm Identifier: 20-byte RID (§7.4)
        "03 03" +               // Content Integrity Protection: Unified Merkle Tree (§7.5)
        "04 02" +               // Merkle Hash Tree Function: SHA-256 (§7.6)
        "05 0F" +               // Live Signature Algorithm: Ed25519 = DNSSEC 15 (§7.7)
        "06 02" +               // Chunk Addressing Method: 32-bit chunk ranges (§7.8)
        "07 00001000" +         // Live Discard Window: 4096 chunks, 32 bits under 32-bit ranges (§7.9)
        "08 02 F8C0" +          // Supported Messages: types 0-4, 8, 9 (§7.10)
        "09 00000400" +         // Chunk Size: 1024 (§7.11)
        "FF" +                  // End Option (§7.1)
        "03 00000000 000003FF"; // HAVE chunks 0-1023

    [Fact]
    public void Full_handshake_datagram_decodes_every_option()
    {
        var reader = Open(Hex.Bytes(FullHandshake), WireFormat.Rfc7574Default);
        Assert.Equal(0u, reader.ChannelId);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(MessageType.Handshake, message.Type);
        Assert.Equal(0x11223344u, message.SourceChannelId);
        Assert.False(message.IsClose);
        var options = message.Handshake;
        Assert.Equal((byte)1, options.Version);
        Assert.Equal((byte)1, options.MinimumVersion);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i).ToArray(), options.SwarmId.ToArray());
        Assert.Equal(ContentIntegrityProtectionMethod.UnifiedMerkleTree, options.ContentIntegrityProtectionMethod);
        Assert.Equal(MerkleHashFunction.Sha256, options.MerkleHashFunction);
        Assert.Equal(LiveSignatureAlgorithm.Ed25519, options.LiveSignatureAlgorithm);
        Assert.Equal(ChunkAddressingMethod.ChunkRanges32, options.ChunkAddressing);
        Assert.Equal(4096ul, options.LiveDiscardWindow);
        var supported = options.SupportedMessages!.Value;
        foreach (var type in new[] { MessageType.Handshake, MessageType.Data, MessageType.Ack, MessageType.Have, MessageType.Integrity, MessageType.Request, MessageType.Cancel })
        {
            Assert.True(supported.Contains(type), type.ToString());
        }

        Assert.False(supported.Contains(MessageType.PexResV4));
        Assert.False(supported.Contains(MessageType.ShoalExtension));
        Assert.Equal(1024u, options.ChunkSize);

        // The reader switched from the RFC default (SHA-1, ECDSA) to what the handshake announced.
        Assert.Equal(32, reader.Format.HashLength);
        Assert.Equal(64, reader.Format.SignatureLength);
        Assert.True(reader.TryRead(out var have, out _));
        Assert.Equal(new ChunkSpec(0, 1023), have.Chunks);
        AssertEnd(ref reader);
    }

    [Fact]
    public void Full_handshake_datagram_is_written_byte_for_byte()
    {
        var rid = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
        var written = Write(Shoal, 0, (ref DatagramWriter w) => w.TryWriteHandshake(0x11223344, new HandshakeOptions
        {
            Version = 1,
            MinimumVersion = 1,
            SwarmId = rid,
            ContentIntegrityProtectionMethod = ContentIntegrityProtectionMethod.UnifiedMerkleTree,
            MerkleHashFunction = MerkleHashFunction.Sha256,
            LiveSignatureAlgorithm = LiveSignatureAlgorithm.Ed25519,
            ChunkAddressing = ChunkAddressingMethod.ChunkRanges32,
            LiveDiscardWindow = 4096,
            SupportedMessages = SupportedMessages.None.With(MessageType.Handshake).With(MessageType.Data).With(MessageType.Ack)
                .With(MessageType.Have).With(MessageType.Integrity).With(MessageType.Request).With(MessageType.Cancel),
            ChunkSize = 1024,
        }) && w.TryWriteHave(new ChunkSpec(0, 1023)));
        Assert.Equal(Hex.Of(Hex.Bytes(FullHandshake)), written);
    }

    [Fact]
    public void Live_discard_window_is_64_bits_under_64_bit_addressing()
    {
        const string Vector = "00000000 00 00000001 00 01 06 04 07 FFFFFFFFFFFFFFFF FF";
        var reader = Open(Hex.Bytes(Vector), Shoal);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.Equal(HandshakeOptions.NoDiscard64, message.Handshake.LiveDiscardWindow);
        Assert.Equal(ChunkAddressingMethod.ChunkRanges64, reader.Format.ChunkAddressing);
        AssertEnd(ref reader);
        Assert.Equal(Vector.Replace(" ", "", StringComparison.Ordinal), Write(Shoal, 0, (ref DatagramWriter w) => w.TryWriteHandshake(1, new HandshakeOptions
        {
            Version = 1,
            ChunkAddressing = ChunkAddressingMethod.ChunkRanges64,
            LiveDiscardWindow = HandshakeOptions.NoDiscard64,
        })));
    }

    [Fact]
    public void Closing_handshake_has_source_channel_zero_and_may_have_no_options()
    {
        var written = Write(Shoal, 0x55, (ref DatagramWriter w) => w.TryWriteClose(1));
        Assert.Equal("00000055" + "00" + "00000000" + "0001" + "FF", written);

        var reader = Open(Hex.Bytes("00000055 00 00000000"), Shoal);
        Assert.True(reader.TryRead(out var message, out _));
        Assert.True(message.IsClose);
        Assert.True(message.Handshake.IsEmpty);
        AssertEnd(ref reader);
    }

    [Fact]
    public void Shoals_supported_messages_are_rfc_types_0_to_12_and_the_extension_envelope()
    {
        // docs/protocol.md §5.10: 31 bytes, FF F8 00 ... 00 80 (type 240 is the top bit of byte 30).
        Span<byte> bitmap = stackalloc byte[SupportedMessages.MaxCompressedLength];
        var length = SupportedMessages.Shoal.WriteCompressed(bitmap);
        Assert.Equal("FFF8" + new string('0', 2 * 28) + "80", Hex.Of(bitmap[..length]));
        Assert.False(SupportedMessages.Shoal.Contains(MessageType.PexResCert));
    }

    [Fact]
    public void Sixty_four_bit_methods_widen_the_chunk_specification()
    {
        var ranges64 = Shoal with { ChunkAddressing = ChunkAddressingMethod.ChunkRanges64 };
        const string Ranges = "00000001 03 0000000100000000 00000001000000FF";
        Assert.Equal(Hex.Of(Hex.Bytes(Ranges)), Write(ranges64, 1, (ref DatagramWriter w) => w.TryWriteHave(new ChunkSpec(1UL << 32, (1UL << 32) + 255))));

        var bins64 = Shoal with { ChunkAddressing = ChunkAddressingMethod.Bins64 };
        const string Bins = "00000001 03 0000000000000005";
        var reader = Open(Hex.Bytes(Bins), bins64);
        Assert.True(reader.TryRead(out var have, out _));
        Assert.Equal(new ChunkSpec(2, 3), have.Chunks);

        var bytes64 = Shoal with { ChunkAddressing = ChunkAddressingMethod.ByteRanges64 };
        const string Data = "00000001 01 0000000000000400 0000000000000402 0000000000000001 414243 0A";
        var dataReader = Open(Hex.Bytes(Data), bytes64);
        Assert.True(dataReader.TryRead(out var data, out _));
        Assert.Equal(new ChunkSpec(1024, 1026), data.Chunks);
        Assert.Equal("ABC"u8.ToArray(), data.Payload.ToArray());
        Assert.True(dataReader.TryRead(out var choke, out _));
        Assert.Equal(MessageType.Choke, choke.Type);
        Assert.Equal(Hex.Of(Hex.Bytes(Data)), Write(bytes64, 1, (ref DatagramWriter w) => w.TryWriteData(new ChunkSpec(1024, 1026), 1, "ABC"u8) && w.TryWriteChoke()));
    }

    [Fact]
    public void Datagrams_can_be_written_into_a_buffer_writer_one_after_another()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var first = DatagramWriter.Begin(output, 1350, 7, Shoal);
        Assert.True(first.TryWriteChoke());
        Assert.Equal(5, first.CommitTo(output));
        var second = DatagramWriter.Begin(output, 13, 8, Shoal);
        Assert.True(second.TryWriteHave(ChunkSpec.Single(1)));
        Assert.False(second.TryWriteUnchoke()); // the 13-byte budget is full
        second.CommitTo(output);
        Assert.Equal("000000070A" + "00000008030000000100000001", Hex.Of(output.WrittenSpan));
    }
}
