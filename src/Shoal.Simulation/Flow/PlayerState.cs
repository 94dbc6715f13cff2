namespace Shoal.Simulation.Flow;

/// <summary>Where a simulated player is: the packet simulator's viewer states, shared so both report the same way.</summary>
internal enum PlayerState
{
    Idle,
    Starting,
    Seeking,
    Playing,
    Stalled,
    Finished,
}
