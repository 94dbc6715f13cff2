using CsCheck;

namespace Shoal.Protocol.Tests;

/// <summary>
/// Whatever <see cref="DatagramWriter"/> writes, <see cref="DatagramReader"/> reads back unchanged: for every
/// message type, every chunk addressing method, and any mix of messages in one datagram.
/// </summary>
public sealed class RoundTripPropertyTests
{
    private const long Iterations = 2_000;

    private static readonly Gen<WireFormat> GenFormat = Gen.OneOf(
        Gen.Const(WireFormat.Shoal),
        Gen.Const(WireFormat.Rfc7574Default),
        Gen.Const(WireFormat.Shoal with { ChunkSize = 16 }),
        Gen.Const(WireFormat.For(ChunkAddressingMethod.ChunkRanges64, MerkleHashFunction.Sha512, LiveSignatureAlgorithm.EcdsaP384Sha384, 32)),
        Gen.Const(WireFormat.For(ChunkAddressingMethod.Bins32, MerkleHashFunction.Sha1, LiveSignatureAlgorithm.EcdsaP256Sha256, 8)),
        Gen.Const(WireFormat.For(ChunkAddressingMethod.Bins64, MerkleHashFunction.Sha224, LiveSignatureAlgorithm.Ed448, 8)),
        Gen.Const(WireFormat.For(ChunkAddressingMethod.ByteRanges64, MerkleHashFunction.Sha384, LiveSignatureAlgorithm.Ed25519, 1024)));

    private static Gen<ChunkSpec> GenSpec(ChunkAddressingMethod method) => method switch
    {
        ChunkAddressingMethod.ChunkRanges32 => Gen.Select(Gen.UInt, Gen.UInt, (a, b) => new ChunkSpec(Math.Min(a, b), Math.Max(a, b))),
        ChunkAddressingMethod.Bins32 => GenBin(31),
        ChunkAddressingMethod.Bins64 => GenBin(63),
        _ => Gen.Select(Gen.ULong, Gen.ULong, (a, b) => new ChunkSpec(Math.Min(a, b), Math.Max(a, b))),
    };

    // A bin at layer l with offset o < 2^(top - l) has number (2o + 1) * 2^l - 1 within the space (RFC 7574 §4.2).
    private static Gen<ChunkSpec> GenBin(int top) => Gen.Int[0, top].SelectMany(layer =>
        Gen.ULong[0, (1UL << (top - layer)) - 1].Select(offset => new ChunkSpec(offset << layer, (offset << layer) + (1UL << layer) - 1)));

    /// <summary>DATA whose range is filled completely, so that any message may follow it.</summary>
    private static Gen<MessageModel> GenFullData(WireFormat format)
    {
        if (!format.AddressesChunks)
        {
            return Gen.Select(Gen.ULong[0, ulong.MaxValue - 2000], Gen.ULong, Gen.Byte.Array[1, 1500],
                (start, ts, payload) => (MessageModel)new MessageModel.Data(new ChunkSpec(start, start + (ulong)payload.Length - 1), ts, payload));
        }

        var size = (int)format.ChunkSize;
        var bins = format.ChunkAddressing is ChunkAddressingMethod.Bins32 or ChunkAddressingMethod.Bins64;
        var counts = bins ? Gen.OneOf(Gen.Const(1), Gen.Const(2), Gen.Const(4)) : Gen.Int[1, Math.Max(1, 1500 / size)];
        return Gen.Select(counts, Gen.UInt[0, 1 << 20], Gen.ULong, (count, slot, ts) => (count, slot, ts)).SelectMany(t =>
            Gen.Byte.Array[t.count * size].Select(payload =>
            {
                var start = (ulong)t.slot * (ulong)t.count;
                return (MessageModel)new MessageModel.Data(new ChunkSpec(start, start + (ulong)t.count - 1), t.ts, payload);
            }));
    }

    /// <summary>DATA that must end the datagram: a short last chunk (RFC 7574 §8.6).</summary>
    private static Gen<MessageModel> GenTailData(WireFormat format)
    {
        if (!format.AddressesChunks || format.ChunkSize < 2)
        {
            return GenFullData(format);
        }

        var size = (int)format.ChunkSize;
        // A single chunk c is bin 2c (RFC 7574 §4.2), so under 32-bit bins it must stay below 2^31.
        return Gen.Select(Gen.UInt[0, int.MaxValue], Gen.ULong, Gen.Int[1, size - 1], (chunk, ts, length) => (chunk, ts, length)).SelectMany(t =>
            Gen.Byte.Array[t.length].Select(payload => (MessageModel)new MessageModel.Data(ChunkSpec.Single(t.chunk), t.ts, payload)));
    }

    private static Gen<MessageModel> GenMessage(WireFormat format)
    {
        var spec = GenSpec(format.ChunkAddressing);
        return Gen.OneOf(
            Gen.Select(Gen.OneOf(Gen.Const(MessageType.Have), Gen.Const(MessageType.Request), Gen.Const(MessageType.Cancel)), spec, (t, s) => (MessageModel)new MessageModel.ChunkSpecOnly(t, s)),
            Gen.Select(spec, Gen.Long, (s, d) => (MessageModel)new MessageModel.Ack(s, d)),
            Gen.Select(spec, Gen.Byte.Array[format.HashLength], (s, h) => (MessageModel)new MessageModel.Integrity(s, h)),
            Gen.Select(spec, Gen.ULong, Gen.Byte.Array[format.SignatureLength], (s, ts, sig) => (MessageModel)new MessageModel.SignedIntegrity(s, ts, sig)),
            Gen.OneOf(Gen.Const(MessageType.Choke), Gen.Const(MessageType.Unchoke), Gen.Const(MessageType.PexReq)).Select(t => (MessageModel)new MessageModel.TypeOnly(t)),
            Gen.Select(Gen.OneOf(Gen.Byte.Array[4], Gen.Byte.Array[16]), Gen.UShort, (a, p) => (MessageModel)new MessageModel.PexResponse(a, p)),
            Gen.Byte.Array[0, 300].Select(c => (MessageModel)new MessageModel.PexCertificate(c)),
            Gen.Select(Gen.Byte, Gen.Byte.Array[0, 300], (id, body) => (MessageModel)new MessageModel.Extension((ShoalExtensionId)id, body)),
            GenFullData(format));
    }

    private static Gen<T?> Maybe<T>(Gen<T> gen)
        where T : struct => Gen.Bool.SelectMany(present => present ? gen.Select(v => (T?)v) : Gen.Const((T?)null));

    private static readonly Gen<SupportedMessages> GenSupported = Gen.Byte.Array[0, 32].Select(bytes => SupportedMessages.FromCompressed(bytes));

    /// <summary>Any handshake, with option values the codec passes through unchecked (any byte for the enums).</summary>
    private static readonly Gen<MessageModel> GenAnyHandshake =
        Gen.Select(
            Gen.UInt,
            Maybe(Gen.Byte),
            Maybe(Gen.Byte),
            Gen.OneOf(Gen.Byte.Array[0], Gen.Byte.Array[20], Gen.Byte.Array[1, 200]),
            Maybe(Gen.Byte.Select(b => (ContentIntegrityProtectionMethod)b)),
            Maybe(Gen.Byte.Select(b => (MerkleHashFunction)b)),
            Maybe(Gen.Byte.Select(b => (LiveSignatureAlgorithm)b)),
            Maybe(Gen.Int[0, 4].Select(b => (ChunkAddressingMethod)b)))
        .SelectMany(t => Gen.Select(Maybe(Gen.ULong), Maybe(GenSupported), Maybe(Gen.UInt[1, uint.MaxValue]), (window, supported, size) =>
        {
            ulong? discard = t.Item8 is { } method ? window is { } w ? (WireFormat.ScalarLengthOf(method) == 4 ? w & uint.MaxValue : w) : null : null;
            return (MessageModel)new MessageModel.Handshake(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8, discard, supported, size);
        }));

    private static void AssertRoundTrip(WireFormat format, uint channel, IReadOnlyList<MessageModel> models, int bufferLength = 1 << 16)
    {
        var buffer = new byte[bufferLength];
        var writer = new DatagramWriter(buffer, channel, format);
        var written = 0;
        foreach (var model in models)
        {
            var before = writer.BytesWritten;
            if (!model.Write(ref writer))
            {
                // A message that does not fit writes nothing.
                Assert.Equal(before, writer.BytesWritten);
                break;
            }

            written++;
        }

        Assert.True(DatagramReader.TryOpen(writer.Written, format, out var reader, out var openError), openError.ToString());
        Assert.Equal(channel, reader.ChannelId);
        for (var i = 0; i < written; i++)
        {
            Assert.True(reader.TryRead(out var message, out var error), $"message {i} ({models[i]}): {error}");
            models[i].AssertRead(message);
        }

        Assert.False(reader.TryRead(out _, out var end));
        Assert.Equal(DecodeError.None, end);
        Assert.Equal(writer.BytesWritten, reader.Position);
    }

    [Fact]
    public void Every_message_type_round_trips_alone_under_every_addressing_method()
    {
        GenFormat.SelectMany(f => GenMessage(f).Select(m => (f, m)), (_, t) => t)
            .Sample(t => AssertRoundTrip(t.f, 7, [t.m]), iter: Iterations);
    }

    [Fact]
    public void Any_sequence_of_messages_round_trips_in_one_datagram()
    {
        GenFormat.SelectMany(f => Gen.Select(Gen.UInt, GenMessage(f).Array[0, 10], GenTailData(f).Array[0, 1], (c, ms, tail) => (f, c, ms.Concat(tail).ToArray())), (_, t) => t)
            .Sample(t => AssertRoundTrip(t.f, t.c, t.Item3), iter: Iterations);
    }

    [Fact]
    public void Any_handshake_round_trips()
    {
        GenAnyHandshake.Sample(h => AssertRoundTrip(WireFormat.Shoal, 0, [h]), iter: Iterations);
    }

    [Fact]
    public void A_handshake_followed_by_messages_switches_the_reader_to_its_format()
    {
        // The receiver opens with the RFC default; the handshake announces the sender's format.
        GenFormat.SelectMany(f => GenMessage(f).Array[1, 5].Select(ms => (f, ms)), (_, t) => t).Sample(t =>
        {
            var (format, messages) = t;
            var handshake = new MessageModel.Handshake(1, 1, 1, new byte[20], ContentIntegrityProtectionMethod.MerkleHashTree,
                HashOf(format.HashLength), SignatureOf(format.SignatureLength), format.ChunkAddressing, null, null, format.ChunkSize);
            var all = new MessageModel[] { handshake }.Concat(messages).ToArray();
            var buffer = new byte[1 << 16];
            var writer = new DatagramWriter(buffer, 0, format);
            foreach (var model in all)
            {
                Assert.True(model.Write(ref writer));
            }

            Assert.True(DatagramReader.TryOpen(writer.Written, WireFormat.Rfc7574Default, out var reader, out _));
            foreach (var model in all)
            {
                Assert.True(reader.TryRead(out var message, out var error), error.ToString());
                model.AssertRead(message);
            }

            Assert.False(reader.TryRead(out _, out var end));
            Assert.Equal(DecodeError.None, end);
        }, iter: Iterations / 2);
    }

    [Fact]
    public void A_message_that_does_not_fit_is_not_written_and_what_was_written_still_decodes()
    {
        GenFormat.SelectMany(f => Gen.Select(Gen.Int[4, 1600], GenMessage(f).Array[1, 12], (n, ms) => (f, n, ms)), (_, t) => t)
            .Sample(t => AssertRoundTrip(t.f, 3, t.ms, t.n), iter: Iterations);
    }

    [Fact]
    public void Supported_messages_bitmap_round_trips_and_is_truncated_after_its_last_set_byte()
    {
        Gen.Byte.Array[0, 8].Sample(types =>
        {
            var set = SupportedMessages.None;
            foreach (var type in types)
            {
                set = set.With((MessageType)type);
            }

            Span<byte> bitmap = stackalloc byte[SupportedMessages.MaxCompressedLength];
            var length = set.WriteCompressed(bitmap);
            Assert.Equal(set.CompressedLength, length);
            Assert.True(length == 0 || bitmap[length - 1] != 0);
            Assert.Equal(types.Length == 0 ? 0 : (types.Max() / 8) + 1, length);
            var back = SupportedMessages.FromCompressed(bitmap[..length]);
            Assert.Equal(set, back);
            for (var type = 0; type < 256; type++)
            {
                Assert.Equal(types.Contains((byte)type), back.Contains((MessageType)type));
            }
        }, iter: Iterations);
    }

    private static MerkleHashFunction HashOf(int length) => length switch
    {
        20 => MerkleHashFunction.Sha1,
        28 => MerkleHashFunction.Sha224,
        32 => MerkleHashFunction.Sha256,
        48 => MerkleHashFunction.Sha384,
        _ => MerkleHashFunction.Sha512,
    };

    private static LiveSignatureAlgorithm SignatureOf(int length) => length switch
    {
        96 => LiveSignatureAlgorithm.EcdsaP384Sha384,
        114 => LiveSignatureAlgorithm.Ed448,
        _ => LiveSignatureAlgorithm.Ed25519,
    };
}
