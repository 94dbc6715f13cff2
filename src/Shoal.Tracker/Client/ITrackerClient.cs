using Shoal.Core.Identity;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker.Client;

/// <summary>
/// How a node finds peers for a resource: announce that it takes part in the swarm of <c>rid</c> on a UDP port,
/// with its transfer counters, and get peers back. Implemented over BEP 15 (Shoal's tracker or any standard UDP
/// tracker) and over Shoal's HTTP API.
/// </summary>
public interface ITrackerClient : IAsyncDisposable
{
    Task<AnnounceResult> AnnounceAsync(Rid rid, ushort port, TransferStats stats, AnnounceEvent announceEvent = AnnounceEvent.None, int numWant = -1, CancellationToken cancellationToken = default);
}
