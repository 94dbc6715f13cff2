using System.Net;
using Shoal.Core.Content;

namespace Shoal.Engine.Swarming;

/// <summary>Something the swarm tells its owner about: a verified piece or segment, a neighbour come, gone or banned.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="At">When.</param>
/// <param name="Piece">For piece and segment events: the piece (index 0 for a segment).</param>
/// <param name="Peer">For neighbour events: its address.</param>
public readonly record struct SwarmEvent(SwarmEventKind Kind, Instant At, PieceId Piece, IPEndPoint? Peer);
