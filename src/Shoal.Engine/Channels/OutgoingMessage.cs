using System.Net;
using Shoal.Protocol;

namespace Shoal.Engine.Channels;

/// <summary>An application control message waiting in a channel's queue (everything but DATA, ACK and HANDSHAKE).</summary>
internal readonly record struct OutgoingMessage(
    MessageType Type,
    ChunkSpec Chunks,
    ReadOnlyMemory<byte> Payload,
    ulong Timestamp,
    IPEndPoint? Peer,
    ShoalExtensionId ExtensionId)
{
    /// <summary>Writes the message; false if it does not fit in what is left of the datagram.</summary>
    public bool TryWrite(ref DatagramWriter writer) => Type switch
    {
        MessageType.Have => writer.TryWriteHave(Chunks),
        MessageType.Request => writer.TryWriteRequest(Chunks),
        MessageType.Cancel => writer.TryWriteCancel(Chunks),
        MessageType.Integrity => writer.TryWriteIntegrity(Chunks, Payload.Span),
        MessageType.SignedIntegrity => writer.TryWriteSignedIntegrity(Chunks, Timestamp, Payload.Span),
        MessageType.Choke => writer.TryWriteChoke(),
        MessageType.Unchoke => writer.TryWriteUnchoke(),
        MessageType.PexReq => writer.TryWritePexRequest(),
        MessageType.PexResV4 or MessageType.PexResV6 => writer.TryWritePexResponse(Peer!),
        MessageType.PexResCert => writer.TryWritePexResponseCertificate(Payload.Span),
        MessageType.ShoalExtension => writer.TryWriteExtension(ExtensionId, Payload.Span),
        _ => true,
    };
}
