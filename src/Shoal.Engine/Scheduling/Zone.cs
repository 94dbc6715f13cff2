namespace Shoal.Engine.Scheduling;

/// <summary>The three zones of DESIGN.md's scheduler, measured from the playhead.</summary>
public enum Zone
{
    /// <summary>Cannot arrive in time from peers: fetched from the origin by HTTP range.</summary>
    Urgent,

    /// <summary>Further ahead: fetched from neighbours.</summary>
    PeerWindow,

    /// <summary>Too far ahead: nothing is fetched yet.</summary>
    Beyond,
}
