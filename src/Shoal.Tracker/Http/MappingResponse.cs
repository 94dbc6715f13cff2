namespace Shoal.Tracker.Http;

/// <summary>A mapping as the API shows it: the RID (hex and base32), the canonical URL and where its manifest is.</summary>
public sealed record MappingResponse(string Rid, string RidBase32, string Url, string Kind, bool Oracle, string Manifest, string ManifestJson, string SignerKey);
