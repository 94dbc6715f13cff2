namespace Shoal.Simulation.Flow;

/// <summary>A scenario whose population the flow simulator cannot hold, refused before anything is built for it.</summary>
public sealed class ScenarioTooLargeException(string message) : Exception(message);
