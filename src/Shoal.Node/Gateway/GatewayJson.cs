using System.Text.Json.Serialization;

namespace Shoal.Node.Gateway;

/// <summary>Source-generated JSON for the gateway's reports.</summary>
[JsonSerializable(typeof(GatewayStatus))]
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class GatewayJson : JsonSerializerContext;
