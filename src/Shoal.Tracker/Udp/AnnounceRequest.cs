using Shoal.Core.Identity;
using Shoal.Tracker.Peers;

namespace Shoal.Tracker.Udp;

/// <summary>A BEP 15 announce request: the fields of the 98-byte packet, the info-hash being the RID.</summary>
public readonly record struct AnnounceRequest(
    ulong ConnectionId,
    int TransactionId,
    Rid InfoHash,
    PeerId PeerId,
    long Downloaded,
    long Left,
    long Uploaded,
    AnnounceEvent Event,
    uint IPv4,
    uint Key,
    int NumWant,
    ushort Port);
