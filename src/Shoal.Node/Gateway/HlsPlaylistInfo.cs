namespace Shoal.Node.Gateway;

/// <summary>What the gateway learnt from an HLS playlist it rewrote.</summary>
internal readonly record struct HlsPlaylistInfo(bool IsMaster, bool IsLive, long MediaSequence, int SegmentsServed, int SegmentsAtOrigin);
