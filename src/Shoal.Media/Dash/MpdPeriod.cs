namespace Shoal.Media.Dash;

/// <summary>A DASH period: a time span of the presentation with its own adaptation sets.</summary>
/// <param name="Id">Period@id, when given.</param>
/// <param name="Start">The period's start from the presentation start.</param>
/// <param name="Duration">The period's duration, when known.</param>
/// <param name="AdaptationSets">The adaptation sets.</param>
public sealed record MpdPeriod(string? Id, TimeSpan Start, TimeSpan? Duration, IReadOnlyList<MpdAdaptationSet> AdaptationSets);
