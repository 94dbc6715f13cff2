namespace Shoal.Simulation.Flow;

/// <summary>The events of one viewer that the run keeps as values (see <see cref="NodeEvent"/>).</summary>
internal enum NodeEventKind
{
    /// <summary>The once-a-second round: live catch-up, tracker, connections, replacement, rechoke.</summary>
    Maintain,

    /// <summary>The player reached the end of the segment it was playing.</summary>
    SegmentEnd,
}
