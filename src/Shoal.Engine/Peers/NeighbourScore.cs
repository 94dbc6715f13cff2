using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Peers;

/// <summary>What membership measures of a neighbour to rank it: rate and RTT, whether it is a super peer, what it gave back.</summary>
internal readonly record struct NeighbourScore(NeighbourId Id, TimeSpan? Rtt, double RateToUs, long BytesFromThem, long BytesToThem, bool SuperPeer);
