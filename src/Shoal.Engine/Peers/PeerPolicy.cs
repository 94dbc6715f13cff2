using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Peers;

/// <summary>
/// The hostile-peer policy (issue: "the sender of a bad chunk is identified and banned; a peer that lies in HAVE,
/// never answers, or floods requests is throttled and dropped"). It counts evidence per neighbour and returns a
/// verdict; the swarm acts on it. A bad chunk is proof (the Merkle check cannot fail by chance), so it bans at
/// once; stalls and floods are only suspicion, so they throttle first and drop when they persist.
/// </summary>
internal sealed class PeerPolicy(PeerPolicySettings settings)
{
    private sealed class Record
    {
        public int BadPieces;
        public int Stalls;
        public int RequestsInWindow;
        public Instant WindowStart;
        public int FloodWindows;
        public bool Flooding;
    }

    private readonly Dictionary<NeighbourId, Record> _records = [];

    public PeerVerdict VerdictOf(NeighbourId id)
    {
        if (!_records.TryGetValue(id, out var r)) return PeerVerdict.Ok;
        if (r.BadPieces >= settings.BadPiecesBeforeBan) return PeerVerdict.Ban;
        if (r.Stalls >= settings.StallsBeforeDrop || r.FloodWindows >= settings.FloodWindowsBeforeDrop) return PeerVerdict.Drop;
        if (r.Stalls >= settings.StallsBeforeThrottle || r.Flooding) return PeerVerdict.Throttle;
        return PeerVerdict.Ok;
    }

    /// <summary>A piece from this neighbour failed verification against the manifest's Merkle root.</summary>
    public PeerVerdict BadPiece(NeighbourId id)
    {
        RecordOf(id).BadPieces++;
        return VerdictOf(id);
    }

    /// <summary>A request to it stalled, or it announced a piece (HAVE) and then did not deliver it.</summary>
    public PeerVerdict Stalled(NeighbourId id)
    {
        RecordOf(id).Stalls++;
        return VerdictOf(id);
    }

    /// <summary>It delivered a verified piece: some suspicion is forgiven.</summary>
    public void Delivered(NeighbourId id)
    {
        if (_records.TryGetValue(id, out var r)) r.Stalls = Math.Max(0, r.Stalls - settings.StallsForgivenPerPiece);
    }

    /// <summary>
    /// It sent us a request. Returns false when the request should be ignored: the neighbour is over its request
    /// rate in the current window.
    /// </summary>
    public bool Request(NeighbourId id, Instant now)
    {
        var r = RecordOf(id);
        if (now - r.WindowStart >= settings.RequestWindow)
        {
            r.Flooding = false;
            r.WindowStart = now;
            r.RequestsInWindow = 0;
        }
        r.RequestsInWindow++;
        var allowed = settings.MaxRequestsPerSecond * settings.RequestWindow.TotalSeconds;
        if (r.RequestsInWindow <= allowed) return true;
        if (!r.Flooding)
        {
            r.Flooding = true;
            r.FloodWindows++;
        }
        return false;
    }

    public void Forget(NeighbourId id) => _records.Remove(id);

    private Record RecordOf(NeighbourId id)
    {
        if (!_records.TryGetValue(id, out var r)) _records[id] = r = new Record();
        return r;
    }
}
