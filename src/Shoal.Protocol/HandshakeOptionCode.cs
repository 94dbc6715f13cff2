namespace Shoal.Protocol;

/// <summary>The code byte that starts each HANDSHAKE protocol option (RFC 7574 §7, Table 2).</summary>
public enum HandshakeOptionCode : byte
{
    Version = 0,
    MinimumVersion = 1,
    SwarmIdentifier = 2,
    ContentIntegrityProtectionMethod = 3,
    MerkleHashTreeFunction = 4,
    LiveSignatureAlgorithm = 5,
    ChunkAddressingMethod = 6,
    LiveDiscardWindow = 7,
    SupportedMessages = 8,
    ChunkSize = 9,
    EndOption = 255,
}
