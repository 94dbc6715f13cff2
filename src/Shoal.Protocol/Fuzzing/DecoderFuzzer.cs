using System.Buffers.Binary;

namespace Shoal.Protocol.Fuzzing;

/// <summary>
/// Feeds random, well-formed and mutated datagrams to <see cref="DatagramReader"/> and checks that it never
/// throws, always makes progress, stays inside the datagram, and accepts everything <see cref="DatagramWriter"/>
/// writes. Deterministic: the seed fixes every datagram. Used by the test suite and by <c>shoal fuzz protocol</c>.
/// </summary>
public sealed class DecoderFuzzer
{
    // Tuning of the generator: shares of each kind of datagram, and mutation counts.
    private const int PercentRandomBytes = 10;
    private const int PercentRandomMessages = 10;
    private const int PercentUnmutated = 5;
    private const int MaxMutations = 8;
    private const int MaxMessagesPerDatagram = 12;

    private static readonly FormatVariant[] Formats =
    [
        new(ChunkAddressingMethod.ChunkRanges32, MerkleHashFunction.Sha256, LiveSignatureAlgorithm.Ed25519, WireFormat.DefaultChunkSize),
        new(ChunkAddressingMethod.ChunkRanges32, MerkleHashFunction.Sha1, LiveSignatureAlgorithm.EcdsaP256Sha256, WireFormat.DefaultChunkSize),
        new(ChunkAddressingMethod.ChunkRanges32, MerkleHashFunction.Sha256, LiveSignatureAlgorithm.Ed25519, 16),
        new(ChunkAddressingMethod.ChunkRanges64, MerkleHashFunction.Sha512, LiveSignatureAlgorithm.EcdsaP384Sha384, 512),
        new(ChunkAddressingMethod.Bins32, MerkleHashFunction.Sha1, LiveSignatureAlgorithm.EcdsaP256Sha256, WireFormat.DefaultChunkSize),
        new(ChunkAddressingMethod.Bins64, MerkleHashFunction.Sha224, LiveSignatureAlgorithm.Ed448, 64),
        new(ChunkAddressingMethod.ByteRanges64, MerkleHashFunction.Sha384, LiveSignatureAlgorithm.Ed25519, WireFormat.DefaultChunkSize),
        new(ChunkAddressingMethod.ChunkRanges32, MerkleHashFunction.Sha256, LiveSignatureAlgorithm.Ed25519, WireFormat.VariableChunkSize),
        new(ChunkAddressingMethod.ChunkRanges32, MerkleHashFunction.Sha256, LiveSignatureAlgorithm.RsaSha1, WireFormat.DefaultChunkSize),
    ];

    private static readonly ulong[] InterestingValues = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, ulong.MaxValue, long.MaxValue];

    private readonly DecoderFuzzOptions _options;
    private readonly Random _random;
    private readonly byte[] _datagram;
    private readonly byte[] _scratch;
    private readonly byte[] _noise;
    private readonly long[] _errors = new long[byte.MaxValue + 1];

    // Where each message of the last well-formed datagram starts: mutations aimed there hit type bytes and the
    // length-bearing fields right after them, which random positions in a 1 KiB DATA payload rarely do.
    private readonly int[] _messageStarts = new int[MaxMessagesPerDatagram + 1];
    private int _messageCount;
    private long _clean;
    private long _messages;
    private long _crashes;
    private long _hangs;
    private long _validRejected;
    private string? _firstFailure;

    public DecoderFuzzer(DecoderFuzzOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Iterations);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDatagramLength, 64);
        _options = options;
        _random = new Random(options.Seed);
        _datagram = new byte[options.MaxDatagramLength];
        _scratch = new byte[options.MaxDatagramLength];
        _noise = new byte[options.MaxDatagramLength];
        _random.NextBytes(_noise);
    }

    /// <summary>Runs the whole fuzz campaign; <paramref name="progress"/> is told the iterations done now and then.</summary>
    public DecoderFuzzReport Run(Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        const long ProgressEvery = 100_000;
        long iteration = 0;
        for (; iteration < _options.Iterations; iteration++)
        {
            if (iteration % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(iteration);
            }

            RunOne(iteration);
        }

        var errors = new Dictionary<DecodeError, long>();
        for (var kind = 1; kind < _errors.Length; kind++)
        {
            if (_errors[kind] > 0)
            {
                errors[(DecodeError)kind] = _errors[kind];
            }
        }

        return new DecoderFuzzReport
        {
            Iterations = iteration,
            Seed = _options.Seed,
            CleanDatagrams = _clean,
            MessagesDecoded = _messages,
            ErrorsByKind = errors,
            Crashes = _crashes,
            Hangs = _hangs,
            ValidDatagramsRejected = _validRejected,
            FirstFailure = _firstFailure,
        };
    }

    private void RunOne(long iteration)
    {
        var variant = Formats[_random.Next(Formats.Length)];
        var format = variant.Format;
        var mode = _random.Next(100);
        int length;
        var wellFormed = false;
        int expectedMessages = 0;
        if (mode < PercentRandomBytes)
        {
            length = _random.Next(_datagram.Length + 1);
            _random.NextBytes(_datagram.AsSpan(0, length));
        }
        else if (mode < PercentRandomBytes + PercentRandomMessages)
        {
            length = RandomMessages();
        }
        else
        {
            (length, expectedMessages) = WellFormed(variant);
            if (mode < PercentRandomBytes + PercentRandomMessages + PercentUnmutated)
            {
                wellFormed = true;
            }
            else
            {
                length = Mutate(length);
            }
        }

        try
        {
            Decode(iteration, _datagram.AsSpan(0, length), format, wellFormed, expectedMessages);
        }
#pragma warning disable CA1031 // The point of the fuzzer is to catch and count whatever escapes the decoder.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _crashes++;
            RecordFailure(iteration, length, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private void Decode(long iteration, ReadOnlySpan<byte> datagram, WireFormat format, bool wellFormed, int expectedMessages)
    {
        if (!DatagramReader.TryOpen(datagram, format, out var reader, out var error))
        {
            _errors[(byte)error]++;
            if (wellFormed)
            {
                _validRejected++;
                RecordFailure(iteration, datagram.Length, $"well-formed datagram rejected: {error}");
            }

            return;
        }

        var count = 0;
        var previous = reader.Position;
        while (reader.TryRead(out var message, out error))
        {
            count++;
            _messages++;
            var position = reader.Position;
            // Each message consumes at least its type byte, and nothing reads past the end.
            if (position <= previous || position > datagram.Length || message.Payload.Length > datagram.Length || count > datagram.Length)
            {
                _hangs++;
                RecordFailure(iteration, datagram.Length, $"no progress or out of bounds after message {count} ({message.Type})");
                return;
            }

            previous = position;
        }

        if (error == DecodeError.None)
        {
            _clean++;
        }
        else
        {
            _errors[(byte)error]++;
        }

        if (wellFormed && (error != DecodeError.None || count != expectedMessages))
        {
            _validRejected++;
            RecordFailure(iteration, datagram.Length, $"well-formed datagram of {expectedMessages} messages read as {count}, error {error}");
        }
    }

    private void RecordFailure(long iteration, int length, string what)
    {
        _firstFailure ??= $"iteration {iteration} (seed {_options.Seed}): {what}; datagram {Convert.ToHexString(_datagram, 0, length)}";
    }

    /// <summary>A channel id, then random type bytes each followed by a few random bytes.</summary>
    private int RandomMessages()
    {
        var length = DatagramReader.ChannelIdLength;
        BinaryPrimitives.WriteUInt32BigEndian(_datagram, (uint)_random.Next());
        var messages = _random.Next(1, MaxMessagesPerDatagram);
        for (var i = 0; i < messages && length < _datagram.Length; i++)
        {
            _datagram[length++] = (byte)(_random.Next(4) == 0 ? _random.Next(256) : _random.Next((int)MessageType.PexResCert + 1));
            var body = Math.Min(_random.Next(40), _datagram.Length - length);
            _random.NextBytes(_datagram.AsSpan(length, body));
            length += body;
        }

        return length;
    }

    /// <summary>A valid datagram written by <see cref="DatagramWriter"/>: sometimes a HANDSHAKE first, then random messages.</summary>
    private (int Length, int Messages) WellFormed(FormatVariant variant)
    {
        var format = variant.Format;
        var writer = new DatagramWriter(_datagram, (uint)_random.Next(), format);
        var messages = 0;
        _messageCount = 0;
        if (_random.Next(3) == 0)
        {
            var live = _random.Next(2) == 0;
            var supported = SupportedMessages.Shoal;
            _messageStarts[_messageCount] = writer.BytesWritten;
            var written = writer.TryWriteHandshake((uint)_random.Next(), new HandshakeOptions
            {
                Version = VersionNegotiation.ShoalMaximum,
                MinimumVersion = VersionNegotiation.ShoalMinimum,
                SwarmId = _noise.AsSpan(0, 20),
                ContentIntegrityProtectionMethod = live ? ContentIntegrityProtectionMethod.UnifiedMerkleTree : ContentIntegrityProtectionMethod.MerkleHashTree,
                MerkleHashFunction = variant.Hash,
                LiveSignatureAlgorithm = live ? variant.Signature : null,
                ChunkAddressing = variant.Addressing,
                LiveDiscardWindow = live ? (ulong)_random.Next() : null,
                SupportedMessages = _random.Next(2) == 0 ? supported : null,
                ChunkSize = variant.ChunkSize,
            });
            messages += written ? 1 : 0;
            _messageCount += written ? 1 : 0;
        }

        var count = _random.Next(1, MaxMessagesPerDatagram);
        for (var i = 0; i < count && !writer.IsSealed; i++)
        {
            var start = writer.BytesWritten;
            if (TryWriteRandomMessage(ref writer, format))
            {
                messages++;
                _messageStarts[_messageCount++] = start;
            }
        }

        return (writer.BytesWritten, messages);
    }

    private bool TryWriteRandomMessage(ref DatagramWriter writer, WireFormat format)
    {
        var spec = RandomSpec(format);
        switch (_random.Next(14))
        {
            case 0:
                return writer.TryWriteAck(spec, _random.NextInt64(long.MinValue, long.MaxValue));
            case 1:
                return writer.TryWriteHave(spec);
            case 2:
                return writer.TryWriteRequest(spec);
            case 3:
                return writer.TryWriteCancel(spec);
            case 4:
                return format.HashLength > 0 && writer.TryWriteIntegrity(spec, _noise.AsSpan(0, format.HashLength));
            case 5:
                return format.SignatureLength > 0 && writer.TryWriteSignedIntegrity(spec, (ulong)_random.NextInt64(), _noise.AsSpan(0, format.SignatureLength));
            case 6:
                return writer.TryWriteChoke();
            case 7:
                return writer.TryWriteUnchoke();
            case 8:
                return writer.TryWritePexRequest();
            case 9:
                return writer.TryWritePexResponse(_noise.AsSpan(0, _random.Next(2) == 0 ? 4 : 16), (ushort)_random.Next(65536));
            case 10:
                return writer.TryWritePexResponseCertificate(_noise.AsSpan(0, _random.Next(64)));
            case 11:
                return writer.TryWriteExtension(ShoalExtensionId.Agent, _noise.AsSpan(0, _random.Next(32)));
            default:
                return TryWriteRandomData(ref writer, format);
        }
    }

    private bool TryWriteRandomData(ref DatagramWriter writer, WireFormat format)
    {
        var room = writer.Remaining - format.DataMessageLength(0);
        if (room <= 0)
        {
            return false;
        }

        var timestamp = (ulong)_random.NextInt64();
        if (!format.AddressesChunks)
        {
            var bytes = _random.Next(1, Math.Min(room, 600) + 1);
            var start = (ulong)_random.NextInt64(0, long.MaxValue);
            return writer.TryWriteData(new ChunkSpec(start, start + (ulong)bytes - 1), timestamp, _noise.AsSpan(0, bytes));
        }

        var first = format.ChunkAddressing is ChunkAddressingMethod.Bins32 or ChunkAddressingMethod.Bins64 ? 0UL : (ulong)_random.Next();
        if (format.ChunkSize == WireFormat.VariableChunkSize)
        {
            var bytes = _random.Next(1, Math.Min(room, 600) + 1);
            return writer.TryWriteData(ChunkSpec.Single(first), timestamp, _noise.AsSpan(0, bytes));
        }

        var size = (int)format.ChunkSize;
        if (room < size && _random.Next(2) == 0)
        {
            return false;
        }

        var chunks = Math.Max(1, Math.Min(room / size, format.ChunkAddressing is ChunkAddressingMethod.Bins32 or ChunkAddressingMethod.Bins64 ? 1 : 4));
        var shortLast = _random.Next(4) == 0;
        var length = shortLast ? ((chunks - 1) * size) + _random.Next(1, size) : chunks * size;
        if (length > room || length > _noise.Length)
        {
            return false;
        }

        var range = new ChunkSpec(first, first + (ulong)chunks - 1);
        return writer.TryWriteData(range, timestamp, _noise.AsSpan(0, length));
    }

    private ChunkSpec RandomSpec(WireFormat format)
    {
        switch (format.ChunkAddressing)
        {
            case ChunkAddressingMethod.Bins32:
            case ChunkAddressingMethod.Bins64:
                var layer = _random.Next(format.ChunkAddressing == ChunkAddressingMethod.Bins32 ? 31 : 62);
                var offset = (ulong)_random.Next(1 << Math.Max(0, Math.Min(20, 30 - layer)));
                var start = offset << layer;
                return new ChunkSpec(start, start + (1UL << layer) - 1);
            case ChunkAddressingMethod.ChunkRanges32:
                var a = (uint)_random.NextInt64(0, uint.MaxValue + 1L);
                var b = (uint)_random.NextInt64(0, uint.MaxValue + 1L);
                return new ChunkSpec(Math.Min(a, b), Math.Max(a, b));
            default:
                var c = (ulong)_random.NextInt64() * 2;
                var d = (ulong)_random.NextInt64() * 2;
                return new ChunkSpec(Math.Min(c, d), Math.Max(c, d));
        }
    }

    /// <summary>Applies a few random mutations in place; returns the new length.</summary>
    private int Mutate(int length)
    {
        var mutations = _random.Next(1, MaxMutations + 1);
        for (var i = 0; i < mutations; i++)
        {
            switch (_random.Next(7))
            {
                case 0 when length > 0:
                    _datagram[Position(length)] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when length > 0:
                    _datagram[Position(length)] = (byte)InterestingValues[_random.Next(InterestingValues.Length)];
                    break;
                case 2 when length > 0:
                    length = _random.Next(length);
                    break;
                case 3:
                    var extra = Math.Min(_random.Next(1, 64), _datagram.Length - length);
                    _random.NextBytes(_datagram.AsSpan(length, extra));
                    length += extra;
                    break;
                case 4 when length > 1:
                    var from = _random.Next(length);
                    var cut = _random.Next(1, length - from + 1);
                    _datagram.AsSpan(from + cut, length - from - cut).CopyTo(_scratch);
                    _scratch.AsSpan(0, length - from - cut).CopyTo(_datagram.AsSpan(from));
                    length -= cut;
                    break;
                case 5 when length > 1:
                    var at = _random.Next(length);
                    var run = Math.Min(Math.Min(_random.Next(1, 32), length - at), _datagram.Length - length);
                    _datagram.AsSpan(at, length - at).CopyTo(_scratch);
                    _scratch.AsSpan(0, length - at).CopyTo(_datagram.AsSpan(at + run));
                    length += run;
                    break;
                case 6 when length >= 4:
                    var value = InterestingValues[_random.Next(InterestingValues.Length)];
                    var position = Math.Min(Position(length), length - 4);
                    if (_random.Next(2) == 0)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(_datagram.AsSpan(position), (ushort)value);
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt32BigEndian(_datagram.AsSpan(position), (uint)value);
                    }

                    break;
            }
        }

        return length;
    }

    /// <summary>A byte to mutate: half the time near the start of a message (its type and first fields), else anywhere.</summary>
    private int Position(int length)
    {
        const int NearStart = 6;
        if (_messageCount > 0 && _random.Next(2) == 0)
        {
            var near = _messageStarts[_random.Next(_messageCount)] + _random.Next(NearStart);
            if (near < length)
            {
                return near;
            }
        }

        return _random.Next(length);
    }

    private sealed record FormatVariant(ChunkAddressingMethod Addressing, MerkleHashFunction Hash, LiveSignatureAlgorithm Signature, uint ChunkSize)
    {
        // An RSA signature is as long as the swarm key's modulus; a 1024-bit key stands in for one here.
        private const int RsaSignatureLength = 128;

        public WireFormat Format { get; } = Build(Addressing, Hash, Signature, ChunkSize);

        private static WireFormat Build(ChunkAddressingMethod addressing, MerkleHashFunction hash, LiveSignatureAlgorithm signature, uint chunkSize)
        {
            var format = WireFormat.For(addressing, hash, signature, chunkSize);
            return format.SignatureLength == 0 ? format with { SignatureLength = RsaSignatureLength } : format;
        }
    }
}
