using Shoal.Node.Fetching;
using Shoal.Node.Storage;

namespace Shoal.Node.Gateway;

/// <summary>
/// One segment a player needs: its key (resource RID and sequence), where the origin has it (a URL, and for a slice
/// of a file the byte range), and whether it is live (kept in memory only) or VOD / file (worth the disk cache).
/// </summary>
public sealed record SegmentRequest(SegmentKey Key, Uri OriginUrl, ByteRange? OriginRange, bool Live);
