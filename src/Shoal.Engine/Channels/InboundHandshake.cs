using System.Net;
using Shoal.Core.Identity;
using Shoal.Protocol;

namespace Shoal.Engine.Channels;

/// <summary>
/// A peer's request to open a channel, as a <see cref="ChannelTable"/> offers it to its owner before answering:
/// who asks, for which swarm, and with which of the options that must match ours.
/// </summary>
/// <param name="Remote">Where the HANDSHAKE came from.</param>
/// <param name="SwarmId">The swarm id (RID) the peer asks for.</param>
/// <param name="Version">The protocol version both ends will speak (already negotiated).</param>
/// <param name="ChunkAddressing">The peer's chunk addressing method, when it named one.</param>
/// <param name="ChunkSize">The peer's chunk size, when it named one.</param>
/// <param name="MerkleHashFunction">The peer's Merkle hash function, when it named one.</param>
/// <param name="IntegrityProtection">The peer's content integrity protection method, when it named one.</param>
public readonly record struct InboundHandshake(
    IPEndPoint Remote,
    Rid SwarmId,
    byte Version,
    ChunkAddressingMethod? ChunkAddressing,
    uint? ChunkSize,
    MerkleHashFunction? MerkleHashFunction,
    ContentIntegrityProtectionMethod? IntegrityProtection)
{
    /// <summary>Whether every option the peer named agrees with <paramref name="ours"/> (an absent option means the RFC default).</summary>
    public bool IsCompatibleWith(SwarmHandshake ours)
    {
        ArgumentNullException.ThrowIfNull(ours);
        return (ChunkAddressing ?? ChunkAddressingMethod.ChunkRanges32) == ours.ChunkAddressing
            && (ChunkSize ?? WireFormat.DefaultChunkSize) == ours.ChunkSize
            && (MerkleHashFunction ?? Protocol.MerkleHashFunction.Sha1) == ours.MerkleHashFunction
            && (IntegrityProtection is null || IntegrityProtection == ours.IntegrityProtection);
    }
}
