namespace Shoal.Node.Downloads;

/// <summary>Where a download's bytes came from, and what it gave its peers.</summary>
/// <param name="FromOrigin">Bytes fetched from the origin: directly and by the swarm.</param>
/// <param name="FromPeers">Verified bytes received from peers.</param>
/// <param name="FromStore">Bytes read back from the node's own cache (a resumed download).</param>
/// <param name="Uploaded">Bytes served to peers.</param>
public sealed record DownloadTotals(long FromOrigin, long FromPeers, long FromStore, long Uploaded);
