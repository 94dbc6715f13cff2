namespace Shoal.Simulation.Scenarios;

/// <summary>
/// The best offload a scenario allows, computed the same way by both simulators: the origin must send every distinct
/// delivered byte at least once, and whatever the peers' uplinks could not have carried in the time they were online.
/// </summary>
public static class OffloadBound
{
    /// <returns>Null when nothing was delivered.</returns>
    public static double? Of(long distinctBytesDelivered, long bytesToPlayers, double peerUploadCapacityBytes)
    {
        if (bytesToPlayers <= 0) return null;
        var minimumOrigin = Math.Max(distinctBytesDelivered, bytesToPlayers - peerUploadCapacityBytes);
        return 1.0 - Math.Min(1.0, minimumOrigin / bytesToPlayers);
    }
}
