using Shoal.Core.Content;

namespace Shoal.Core.Integrity;

/// <summary>One hash sent with a piece so the receiver can climb to the segment root (RFC 7574 §5.3 "uncle hashes").</summary>
/// <param name="Bin">The node, in the segment's own tree (chunk 0 = the segment's first chunk).</param>
/// <param name="Hash">The node's hash.</param>
public readonly record struct UncleHash(Bin Bin, Digest Hash);
