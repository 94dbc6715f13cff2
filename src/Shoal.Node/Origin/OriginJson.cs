using System.Text.Json.Serialization;

namespace Shoal.Node.Origin;

/// <summary>Source-generated JSON for the origin's reports (trimming- and AOT-safe, no reflection).</summary>
[JsonSerializable(typeof(OriginStatsView))]
internal sealed partial class OriginJson : JsonSerializerContext;
