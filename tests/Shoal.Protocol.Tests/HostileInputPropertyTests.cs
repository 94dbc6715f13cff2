using CsCheck;

namespace Shoal.Protocol.Tests;

/// <summary>
/// Any bytes at all, under any format: the reader returns (never throws), consumes at least one byte per
/// message, stays inside the datagram, and once it fails keeps failing the same way. CsCheck shrinks a
/// failure to a minimal datagram, which the fuzzer cannot do.
/// </summary>
public sealed class HostileInputPropertyTests
{
    private static readonly Gen<WireFormat> GenAnyFormat =
        Gen.Select(Gen.Byte[0, 6], Gen.Int[0, 70], Gen.Int[0, 130], Gen.OneOf(Gen.UInt[1, 2048], Gen.Const(WireFormat.VariableChunkSize)),
            (addressing, hash, signature, chunkSize) => new WireFormat
            {
                ChunkAddressing = (ChunkAddressingMethod)addressing,
                HashLength = hash,
                SignatureLength = signature,
                ChunkSize = chunkSize,
            });

    // Type bytes weighted towards real message types, so bodies get parsed rather than rejected at once.
    private static readonly Gen<byte[]> GenDatagram = Gen.Frequency(
        (1, Gen.Byte.Array[0, 300]),
        (3, Gen.Select(Gen.Byte.Array[4], Gen.Select(Gen.Byte[0, 13], Gen.Byte.Array[0, 40], (t, body) => new[] { t }.Concat(body).ToArray()).Array[1, 6],
            (channel, messages) => channel.Concat(messages.SelectMany(m => m)).ToArray())));

    [Fact]
    public void Arbitrary_bytes_never_make_the_reader_throw_loop_or_overrun()
    {
        Gen.Select(GenAnyFormat, GenDatagram).Sample((format, datagram) =>
        {
            if (!DatagramReader.TryOpen(datagram, format, out var reader, out var openError))
            {
                Assert.Equal(DecodeError.DatagramTooShort, openError);
                Assert.True(datagram.Length < DatagramReader.ChannelIdLength);
                return;
            }

            var previous = reader.Position;
            var messages = 0;
            DecodeError error;
            while (reader.TryRead(out var message, out error))
            {
                Assert.True(reader.Position > previous, "a message consumed no byte");
                Assert.True(reader.Position <= datagram.Length, "read past the datagram");
                Assert.True(message.Payload.Length <= datagram.Length);
                previous = reader.Position;
                Assert.True(++messages <= datagram.Length);
            }

            Assert.False(reader.TryRead(out _, out var again));
            Assert.Equal(error, again);
            if (error == DecodeError.None)
            {
                Assert.Equal(datagram.Length, reader.Position);
            }
        }, iter: 20_000);
    }
}
