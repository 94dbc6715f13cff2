using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>One outstanding request for a piece: to a neighbour, or (Neighbour null) to the origin.</summary>
internal readonly record struct InFlightRequest(PieceId Key, NeighbourId? Neighbour, Instant Sent, Instant ExpectedBy);
