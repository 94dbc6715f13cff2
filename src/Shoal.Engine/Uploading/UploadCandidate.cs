using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Uploading;

/// <summary>An interested neighbour as the unchoker sees it: how tight its earliest request's deadline is and what it gives back.</summary>
/// <param name="Id">The neighbour.</param>
/// <param name="TightestDeadline">The soonest deadline it told us of (or the age-order of its oldest request), null if unknown.</param>
/// <param name="BytesFromThem">Bytes it has sent us recently (reciprocation).</param>
internal readonly record struct UploadCandidate(NeighbourId Id, TimeSpan? TightestDeadline, double BytesFromThem);
