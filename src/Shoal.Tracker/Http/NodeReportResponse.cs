namespace Shoal.Tracker.Http;

/// <summary>The registry's verdict on a report and the warm-up jobs waiting for that node.</summary>
public sealed record NodeReportResponse(bool Super, IReadOnlyList<PushJobView> Jobs);
