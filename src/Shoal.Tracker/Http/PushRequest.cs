namespace Shoal.Tracker.Http;

/// <summary>POST /v1/push: warm up a resource (by RID or mapped URL) on this many super peers.</summary>
public sealed record PushRequest(string? Rid, string? Url, int? FanOut);
