using System.Text.Json;
using System.Text.Json.Serialization;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;

namespace Shoal.Tracker.State;

/// <summary>How the Redis store writes its records as JSON: RIDs and peer ids as hex strings.</summary>
internal static class RedisJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new RidConverter(), new PeerIdConverter() },
    };

    private sealed class RidConverter : JsonConverter<Rid>
    {
        public override Rid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Rid.TryParse(reader.GetString(), out var rid) ? rid : throw new JsonException("Not a RID.");

        public override void Write(Utf8JsonWriter writer, Rid value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToHex());
    }

    private sealed class PeerIdConverter : JsonConverter<PeerId>
    {
        public override PeerId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            PeerId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Not a peer id.");

        public override void Write(Utf8JsonWriter writer, PeerId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToHex());
    }
}
