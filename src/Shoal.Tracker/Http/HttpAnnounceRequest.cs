using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Http;

/// <summary>POST /v1/announce: BEP 15's announce fields as JSON, for nodes that cannot use UDP to the tracker.</summary>
public sealed record HttpAnnounceRequest(string? Rid, string? PeerId, int Port, long Downloaded = 0, long Left = 0, long Uploaded = 0, AnnounceEvent Event = AnnounceEvent.None, int NumWant = -1);
