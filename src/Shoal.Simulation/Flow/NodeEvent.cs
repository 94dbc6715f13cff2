namespace Shoal.Simulation.Flow;

/// <summary>
/// A viewer's frequent event as a value: which, whose, and the session (and for a segment end the player token) it was
/// scheduled in, so one that outlived them is ignored. Millions of these would otherwise each be a closure.
/// </summary>
internal readonly record struct NodeEvent(NodeEventKind Kind, int Node, int Session, long Token = 0);
