using System.Net;
using Shoal.Protocol;

namespace Shoal.Engine.Channels;

/// <summary>
/// An application message a <see cref="PeerChannel"/> received and hands to its owner (HAVE, REQUEST, CANCEL, DATA,
/// INTEGRITY, SIGNED_INTEGRITY, CHOKE, UNCHOKE, PEX, extensions). HANDSHAKE and ACK never reach the owner.
/// </summary>
/// <param name="Type">The RFC 7574 message type.</param>
/// <param name="Chunks">DATA, HAVE, REQUEST, CANCEL, INTEGRITY, SIGNED_INTEGRITY: the chunk specification.</param>
/// <param name="Payload">DATA: the content (each DATA delivered once). INTEGRITY: the hash. SIGNED_INTEGRITY: the signature. PEX_REScert, extension: the body. Owned by the receiver.</param>
/// <param name="Timestamp">SIGNED_INTEGRITY: the NTP timestamp. DATA: the sender's clock in microseconds.</param>
/// <param name="Peer">PEX_RESv4/v6: the advertised peer.</param>
/// <param name="ExtensionId">Shoal extension: what the body is.</param>
public readonly record struct ReceivedMessage(
    MessageType Type,
    ChunkSpec Chunks,
    ReadOnlyMemory<byte> Payload,
    ulong Timestamp,
    IPEndPoint? Peer,
    ShoalExtensionId ExtensionId);
