namespace Shoal.Protocol.Tests;

/// <summary>A message as plain data, so property tests can generate it, write it, and compare what is read back.</summary>
internal abstract record MessageModel
{
    public abstract bool Write(ref DatagramWriter writer);

    public abstract void AssertRead(Message message);

    public sealed record ChunkSpecOnly(MessageType Type, ChunkSpec Chunks) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => Type switch
        {
            MessageType.Have => writer.TryWriteHave(Chunks),
            MessageType.Request => writer.TryWriteRequest(Chunks),
            _ => writer.TryWriteCancel(Chunks),
        };

        public override void AssertRead(Message message)
        {
            Assert.Equal(Type, message.Type);
            Assert.Equal(Chunks, message.Chunks);
        }
    }

    public sealed record Data(ChunkSpec Chunks, ulong Timestamp, byte[] Payload) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => writer.TryWriteData(Chunks, Timestamp, Payload);

        public override void AssertRead(Message message)
        {
            Assert.Equal(MessageType.Data, message.Type);
            Assert.Equal(Chunks, message.Chunks);
            Assert.Equal(Timestamp, message.Timestamp);
            Assert.Equal(Payload, message.Payload.ToArray());
        }
    }

    public sealed record Ack(ChunkSpec Chunks, long Delay) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => writer.TryWriteAck(Chunks, Delay);

        public override void AssertRead(Message message)
        {
            Assert.Equal(MessageType.Ack, message.Type);
            Assert.Equal(Chunks, message.Chunks);
            Assert.Equal(Delay, message.OneWayDelaySample);
        }
    }

    public sealed record Integrity(ChunkSpec Chunks, byte[] Hash) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => writer.TryWriteIntegrity(Chunks, Hash);

        public override void AssertRead(Message message)
        {
            Assert.Equal(MessageType.Integrity, message.Type);
            Assert.Equal(Chunks, message.Chunks);
            Assert.Equal(Hash, message.Payload.ToArray());
        }
    }

    public sealed record SignedIntegrity(ChunkSpec Chunks, ulong Timestamp, byte[] Signature) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => writer.TryWriteSignedIntegrity(Chunks, Timestamp, Signature);

        public override void AssertRead(Message message)
        {
            Assert.Equal(MessageType.SignedIntegrity, message.Type);
            Assert.Equal(Chunks, message.Chunks);
            Assert.Equal(Timestamp, message.Timestamp);
            Assert.Equal(Signature, message.Payload.ToArray());
        }
    }

    public sealed record TypeOnly(MessageType Type) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => Type switch
        {
            MessageType.Choke => writer.TryWriteChoke(),
            MessageType.Unchoke => writer.TryWriteUnchoke(),
            _ => writer.TryWritePexRequest(),
        };

        public override void AssertRead(Message message) => Assert.Equal(Type, message.Type);
    }

    public sealed record PexResponse(byte[] Address, ushort Port) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => writer.TryWritePexResponse(Address, Port);

        public override void AssertRead(Message message)
        {
            Assert.Equal(Address.Length == 4 ? MessageType.PexResV4 : MessageType.PexResV6, message.Type);
            Assert.Equal(Address, message.Address.ToArray());
            Assert.Equal(Port, message.Port);
        }
    }

    public sealed record PexCertificate(byte[] Certificate) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => writer.TryWritePexResponseCertificate(Certificate);

        public override void AssertRead(Message message)
        {
            Assert.Equal(MessageType.PexResCert, message.Type);
            Assert.Equal(Certificate, message.Payload.ToArray());
        }
    }

    public sealed record Extension(ShoalExtensionId Id, byte[] Body) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => writer.TryWriteExtension(Id, Body);

        public override void AssertRead(Message message)
        {
            Assert.Equal(MessageType.ShoalExtension, message.Type);
            Assert.Equal(Id, message.ExtensionId);
            Assert.Equal(Body, message.Payload.ToArray());
        }
    }

    /// <summary>A HANDSHAKE; options a reader adopts (addressing, hash, signature, chunk size) are null or the datagram's own.</summary>
    public sealed record Handshake(
        uint Source,
        byte? Version,
        byte? MinimumVersion,
        byte[] SwarmId,
        ContentIntegrityProtectionMethod? IntegrityMethod,
        MerkleHashFunction? Hash,
        LiveSignatureAlgorithm? Signature,
        ChunkAddressingMethod? Addressing,
        ulong? DiscardWindow,
        SupportedMessages? Supported,
        uint? ChunkSize) : MessageModel
    {
        public override bool Write(ref DatagramWriter writer) => writer.TryWriteHandshake(Source, new HandshakeOptions
        {
            Version = Version,
            MinimumVersion = MinimumVersion,
            SwarmId = SwarmId,
            ContentIntegrityProtectionMethod = IntegrityMethod,
            MerkleHashFunction = Hash,
            LiveSignatureAlgorithm = Signature,
            ChunkAddressing = Addressing,
            LiveDiscardWindow = DiscardWindow,
            SupportedMessages = Supported,
            ChunkSize = ChunkSize,
        });

        public override void AssertRead(Message message)
        {
            Assert.Equal(MessageType.Handshake, message.Type);
            Assert.Equal(Source, message.SourceChannelId);
            var options = message.Handshake;
            Assert.Equal(Version, options.Version);
            Assert.Equal(MinimumVersion, options.MinimumVersion);
            Assert.Equal(SwarmId, options.SwarmId.ToArray());
            Assert.Equal(IntegrityMethod, options.ContentIntegrityProtectionMethod);
            Assert.Equal(Hash, options.MerkleHashFunction);
            Assert.Equal(Signature, options.LiveSignatureAlgorithm);
            Assert.Equal(Addressing, options.ChunkAddressing);
            Assert.Equal(DiscardWindow, options.LiveDiscardWindow);
            Assert.Equal(Supported, options.SupportedMessages);
            Assert.Equal(ChunkSize, options.ChunkSize);
        }
    }
}
