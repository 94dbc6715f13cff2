namespace Shoal.Tracker.Http;

/// <summary>A warm-up job as a node receives it: fetch this resource ahead of demand.</summary>
public sealed record PushJobView(string JobId, string Rid, string? Url);
