namespace Shoal.Protocol;

/// <summary>The one-byte type that starts every PPSPP message (RFC 7574 §8.2, Table 7; IANA "PPSP Peer Protocol Message Type").</summary>
public enum MessageType : byte
{
    Handshake = 0,
    Data = 1,
    Ack = 2,
    Have = 3,
    Integrity = 4,
    PexResV4 = 5,
    PexReq = 6,
    SignedIntegrity = 7,
    Request = 8,
    Cancel = 9,
    Choke = 10,
    Unchoke = 11,
    PexResV6 = 12,
    PexResCert = 13,

    /// <summary>
    /// Shoal's extension envelope, from the RFC's unassigned range 14-254. Sent only to a peer whose Supported
    /// Messages option (RFC 7574 §7.10) lists it, so an RFC-only peer never sees it (docs/protocol.md §9).
    /// </summary>
    ShoalExtension = 0xF0,
}
