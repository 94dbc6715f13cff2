using Shoal.Core.Manifests;

namespace Shoal.Tracker.Http;

/// <summary>POST /v1/mappings: map an origin URL; <c>oracle</c> asks the mapping service to hash its HLS segments.</summary>
public sealed record MappingRequest(string? Url, ResourceKind? Kind = null, bool? Oracle = null);
