namespace Shoal.Simulation.Reporting;

/// <summary>One bucket of a histogram: values v with <c>LowerBound &lt;= v &lt; LowerBound + Width</c>.</summary>
public readonly record struct HistogramBucket(double LowerBound, double Width, long Count);
