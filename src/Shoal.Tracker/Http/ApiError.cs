namespace Shoal.Tracker.Http;

/// <summary>Every 4xx answer of the API: one sentence that says what was wrong.</summary>
public sealed record ApiError(string Error);
