using NSec.Cryptography;

namespace Shoal.Core.Manifests;

/// <summary>An Ed25519 public key of a publisher or a mapping service: what a node trusts to sign a manifest.</summary>
public sealed class PublicSigningKey : IEquatable<PublicSigningKey>
{
    /// <summary>Bytes of a raw Ed25519 public key (RFC 8032).</summary>
    public const int Length = 32;

    private readonly byte[] _bytes;
    private readonly PublicKey _key;

    private PublicSigningKey(byte[] bytes, PublicKey key)
    {
        _bytes = bytes;
        _key = key;
    }

    internal static PublicSigningKey FromNSec(PublicKey key) => new(key.Export(KeyBlobFormat.RawPublicKey), key);

    /// <summary>Reads a raw 32-byte key; false with a reason when it is not one.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out PublicSigningKey key, out string error)
    {
        key = null!;
        if (bytes.Length != Length)
        {
            error = $"An Ed25519 public key is {Length} bytes, not {bytes.Length}.";
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, bytes, KeyBlobFormat.RawPublicKey, out var imported) || imported is null)
        {
            error = "The bytes are not a valid Ed25519 public key.";
            return false;
        }

        key = new PublicSigningKey(bytes.ToArray(), imported);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses the 64-hex-digit text form (see <see cref="ToString"/>).</summary>
    public static bool TryParse(string? text, out PublicSigningKey key, out string error)
    {
        key = null!;
        if (text is null || text.Length != Length * 2)
        {
            error = $"An Ed25519 public key is {Length * 2} hex digits; got {text?.Length ?? 0} characters.";
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(text, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            error = $"'{text}' is not hex.";
            return false;
        }

        return TryFromBytes(bytes, out key, out error);
    }

    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>True when <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == SigningKeyPair.SignatureLength && SignatureAlgorithm.Ed25519.Verify(_key, data, signature);

    /// <summary>64 lower-case hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(_bytes);

    public bool Equals(PublicSigningKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as PublicSigningKey);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes);
}
