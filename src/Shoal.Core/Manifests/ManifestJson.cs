using System.Text;
using System.Text.Json;

namespace Shoal.Core.Manifests;

/// <summary>A JSON view of a manifest for people and tools (<c>shoal verify --json</c>); the signed form is binary.</summary>
public static class ManifestJson
{
    /// <summary>The manifest as indented JSON.</summary>
    public static string Write(Manifest manifest, SignedManifest? signed = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("rid", manifest.Rid.ToHex());
            json.WriteString("kind", manifest.Kind.ToString());
            json.WriteNumber("piece_size", manifest.PieceSize);
            json.WriteNumber("chunk_size", manifest.ChunkSize);
            json.WriteString("hash_function", manifest.HashFunction.ToString());
            json.WriteNumber("update_number", manifest.UpdateNumber);
            json.WriteString("previous_update", manifest.PreviousUpdate.ToHex());
            if (signed is not null)
            {
                json.WriteString("signer", signed.Signer.ToString());
                json.WriteString("digest", signed.Digest.ToHex());
            }

            json.WriteNumber("total_length", manifest.TotalLength);
            json.WriteStartArray("segments");
            foreach (var segment in manifest.Segments)
            {
                json.WriteStartObject();
                json.WriteNumber("sequence", segment.Sequence);
                json.WriteString("uri", segment.Uri);
                if (segment.Offset is { } offset)
                {
                    json.WriteNumber("offset", offset);
                }

                json.WriteNumber("length", segment.Length);
                if (segment.Duration is { } duration)
                {
                    json.WriteNumber("duration_s", duration.TotalSeconds);
                }

                json.WriteNumber("pieces", manifest.Layout(segment).PieceCount);
                json.WriteString("root", segment.Root.ToHex());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
