namespace Shoal.Protocol.Tests;

/// <summary>Hostile or broken datagrams end with the right <see cref="DecodeError"/>, keep the messages before the fault, and never throw.</summary>
public sealed class MalformedInputTests
{
    private static (int Messages, DecodeError Error) Decode(string hex, WireFormat? format = null)
    {
        var datagram = Hex.Bytes(hex);
        if (!DatagramReader.TryOpen(datagram, format ?? WireFormat.Shoal, out var reader, out var openError))
        {
            return (0, openError);
        }

        var count = 0;
        DecodeError error;
        while (reader.TryRead(out _, out error))
        {
            count++;
        }

        // Once failed, the reader keeps reporting the same fault.
        Assert.False(reader.TryRead(out _, out var again));
        Assert.Equal(error, again);
        return (count, error);
    }

    [Theory]
    [InlineData("", DecodeError.DatagramTooShort)]
    [InlineData("000000", DecodeError.DatagramTooShort)]
    public void A_datagram_shorter_than_a_channel_id_is_rejected(string hex, DecodeError expected) => Assert.Equal((0, expected), Decode(hex));

    [Theory]
    [InlineData("00000001 03 00000000 000000", 0)]                // HAVE cut inside the end chunk
    [InlineData("00000001 0A 03 00000000", 1)]                    // CHOKE, then a HAVE cut after its start chunk
    [InlineData("00000001 02 00000000 00000001 00000000", 0)]     // ACK without the whole delay sample
    [InlineData("00000001 01 00000000 00000000 00000000", 0)]     // DATA cut inside its timestamp
    [InlineData("00000001 04 00000000 00000000 0102", 0)]         // INTEGRITY with 2 of 32 hash bytes
    [InlineData("00000001 07 00000000 00000000 0000000000000000 01", 0)] // SIGNED_INTEGRITY with 1 of 64 signature bytes
    [InlineData("00000001 05 C0000201 1A", 0)]                    // PEX_RESv4 missing half its port
    [InlineData("00000001 0C C0000201", 0)]                       // PEX_RESv6 missing most of its address
    [InlineData("00000001 0D FFFF AABB", 0)]                      // PEX_REScert claiming 65535 bytes, carrying 2
    [InlineData("00000001 F0 00 1000 41", 0)]                     // Shoal extension claiming 4096 bytes, carrying 1
    [InlineData("00000000 00 0000", 0)]                           // HANDSHAKE cut inside its source channel
    [InlineData("00000000 00 00000001 00 01", 0)]                 // HANDSHAKE without the End option
    [InlineData("00000000 00 00000001 02 FFFF 0102", 0)]          // swarm id claiming 65535 bytes, carrying 2
    [InlineData("00000000 00 00000001 08 20 FF", 0)]              // supported-messages bitmap claiming 32 bytes, carrying 1
    [InlineData("00000000 00 00000001 09 0000", 0)]               // chunk size cut short
    public void A_length_beyond_the_datagram_is_truncation_and_the_messages_before_it_survive(string hex, int messagesBefore) =>
        Assert.Equal((messagesBefore, DecodeError.Truncated), Decode(hex));

    [Fact]
    public void Data_with_fewer_bytes_than_its_full_chunks_need_is_truncation()
    {
        // Chunks 0-1 of 4 bytes need more than 4 bytes: the first chunk must be full.
        Assert.Equal((0, DecodeError.Truncated), Decode("00000001 01 00000000 00000001 0000000000000000 01020304", WireFormat.Shoal with { ChunkSize = 4 }));
    }

    [Fact]
    public void Data_under_byte_ranges_must_carry_exactly_its_range()
    {
        var byteRanges = WireFormat.Shoal with { ChunkAddressing = ChunkAddressingMethod.ByteRanges64 };
        Assert.Equal((0, DecodeError.Truncated), Decode("00000001 01 0000000000000000 0000000000000009 0000000000000000 0102", byteRanges));
        Assert.Equal((2, DecodeError.None), Decode("00000001 01 0000000000000000 0000000000000001 0000000000000000 0102 0A", byteRanges));
    }

    [Fact]
    public void Data_without_content_is_rejected()
    {
        Assert.Equal((0, DecodeError.EmptyData), Decode("00000001 01 00000000 00000000 0000000000000000"));
    }

    [Fact]
    public void Data_covering_the_whole_32_bit_chunk_space_does_not_overflow_the_length_computation()
    {
        Assert.Equal((0, DecodeError.Truncated), Decode("00000001 01 00000000 FFFFFFFF 0000000000000000 0102"));
        var chunks64 = WireFormat.Shoal with { ChunkAddressing = ChunkAddressingMethod.ChunkRanges64, ChunkSize = WireFormat.VariableChunkSize - 1 };
        Assert.Equal((0, DecodeError.Truncated), Decode("00000001 01 0000000000000000 FFFFFFFFFFFFFFFF 0000000000000000 0102", chunks64));
    }

    [Theory]
    [InlineData("00000001 0E")]
    [InlineData("00000001 FF 00000000")]
    [InlineData("00000001 0A 80")]
    public void An_unknown_message_type_stops_the_datagram(string hex)
    {
        var (messages, error) = Decode(hex);
        Assert.Equal(DecodeError.UnknownMessageType, error);
        Assert.Equal(hex.Contains(" 0A ", StringComparison.Ordinal) ? 1 : 0, messages);
    }

    [Fact]
    public void A_range_that_starts_after_it_ends_is_invalid()
    {
        Assert.Equal((0, DecodeError.InvalidChunkSpec), Decode("00000001 08 00000005 00000004"));
    }

    [Fact]
    public void An_unknown_handshake_option_cannot_be_skipped()
    {
        Assert.Equal((0, DecodeError.UnknownHandshakeOption), Decode("00000000 00 00000001 00 01 0A 00 FF"));
    }

    [Fact]
    public void A_repeated_handshake_option_is_rejected()
    {
        Assert.Equal((0, DecodeError.DuplicateHandshakeOption), Decode("00000000 00 00000001 00 01 00 02 FF"));
    }

    [Fact]
    public void A_live_discard_window_before_the_addressing_method_is_out_of_order()
    {
        Assert.Equal((0, DecodeError.HandshakeOptionOutOfOrder), Decode("00000000 00 00000001 07 00000010 06 02 FF"));
    }

    [Theory]
    [InlineData("00000000 00 00000001 02 0000 FF")]        // empty swarm id
    [InlineData("00000000 00 00000001 08 21 " + "FF")]     // bitmap longer than 256 bits
    [InlineData("00000000 00 00000001 09 00000000 FF")]    // zero chunk size
    public void Option_values_the_rfc_rules_out_are_invalid(string hex)
    {
        Assert.Equal((0, DecodeError.InvalidHandshakeOption), Decode(hex));
    }

    [Fact]
    public void An_unknown_addressing_method_makes_chunk_specifications_unreadable()
    {
        // The handshake itself decodes (its value is one byte); the HAVE after it cannot be framed.
        Assert.Equal((1, DecodeError.UnsupportedChunkAddressing), Decode("00000000 00 00000001 06 09 FF 03 00000000 00000000"));
        Assert.Equal((0, DecodeError.UnsupportedChunkAddressing), Decode("00000000 00 00000001 06 09 07 00000000 FF"));
    }

    [Fact]
    public void Integrity_under_an_unknown_hash_function_cannot_be_framed()
    {
        Assert.Equal((1, DecodeError.UnknownFieldLength), Decode("00000000 00 00000001 04 09 FF 04 00000000 00000000 00"));
    }

    [Fact]
    public void Writer_rejects_arguments_the_wire_cannot_carry()
    {
        var buffer = new byte[2048];
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatagramWriter(buffer, 1, WireFormat.Shoal).TryWriteHave(new ChunkSpec(0, 1UL << 32)));
        Assert.Throws<ArgumentException>(() => new DatagramWriter(buffer, 1, WireFormat.Shoal).TryWriteHave(new ChunkSpec(5, 4)));
        Assert.Throws<ArgumentException>(() => new DatagramWriter(buffer, 1, WireFormat.Shoal).TryWriteIntegrity(ChunkSpec.Single(0), new byte[20]));
        Assert.Throws<ArgumentException>(() => new DatagramWriter(buffer, 1, WireFormat.Shoal).TryWriteData(new ChunkSpec(0, 1), 0, new byte[1024]));
        Assert.Throws<ArgumentException>(() => new DatagramWriter(buffer, 1, WireFormat.Rfc7574Default with { ChunkAddressing = ChunkAddressingMethod.Bins32 }).TryWriteHave(new ChunkSpec(1, 2)));
        Assert.Throws<ArgumentException>(() => new DatagramWriter(buffer, 1, WireFormat.Shoal).TryWriteHandshake(1, new HandshakeOptions { LiveDiscardWindow = 5 }));
        Assert.Throws<ArgumentException>(() => new DatagramWriter(new byte[3], 1, WireFormat.Shoal));
        Assert.Throws<ArgumentException>(() => new DatagramWriter(buffer, 1, WireFormat.Shoal).TryWriteHandshake(1, new HandshakeOptions { ChunkAddressing = (ChunkAddressingMethod)9, LiveDiscardWindow = 5 }));
    }

    [Fact]
    public void A_writer_without_a_known_addressing_method_still_writes_messages_without_chunks()
    {
        var unknown = WireFormat.Shoal with { ChunkAddressing = (ChunkAddressingMethod)9 };
        var buffer = new byte[64];
        var writer = new DatagramWriter(buffer, 1, unknown);
        Assert.True(writer.TryWriteChoke());
        Assert.True(writer.TryWriteClose(1));
        Assert.Equal("00000001" + "0A" + "000000000000" + "01FF", Hex.Of(writer.Written));
        Assert.Throws<InvalidOperationException>(() => new DatagramWriter(buffer, 1, unknown).TryWriteHave(ChunkSpec.Single(0)));
    }

    [Fact]
    public void Nothing_follows_a_data_message_that_must_be_the_tail()
    {
        var buffer = new byte[2048];
        var writer = new DatagramWriter(buffer, 1, WireFormat.Shoal);
        Assert.True(writer.TryWriteData(ChunkSpec.Single(0), 0, new byte[100]));
        Assert.True(writer.IsSealed);
        Assert.Equal(0, writer.Remaining);
        var before = writer.BytesWritten;
        Assert.False(writer.TryWriteChoke());
        Assert.Equal(before, writer.BytesWritten);
    }
}
