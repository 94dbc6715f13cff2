namespace Shoal.Node.Origin;

/// <summary>One media segment of the folder that the demo origin replays as a live channel.</summary>
public sealed record LiveSourceSegment(string FilePath, double DurationSeconds);
