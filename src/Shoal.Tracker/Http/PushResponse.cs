namespace Shoal.Tracker.Http;

/// <summary>The super peers a push job went to (they learn it at their next report or job poll).</summary>
public sealed record PushResponse(string JobId, string Rid, IReadOnlyList<string> Assigned);
