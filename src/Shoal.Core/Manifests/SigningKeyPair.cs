using NSec.Cryptography;

namespace Shoal.Core.Manifests;

/// <summary>
/// An Ed25519 key pair of a publisher or a mapping service, which signs manifests. The private key can be exported as
/// its 32-byte RFC 8032 seed so <c>shoal keygen</c> can store it and a later run can load it.
/// </summary>
public sealed class SigningKeyPair : IDisposable
{
    /// <summary>Bytes of an Ed25519 signature.</summary>
    public const int SignatureLength = 64;

    /// <summary>Bytes of an exported private key (the RFC 8032 seed).</summary>
    public const int PrivateKeyLength = 32;

    private readonly Key _key;

    private SigningKeyPair(Key key)
    {
        _key = key;
        PublicKey = PublicSigningKey.FromNSec(key.PublicKey);
    }

    public PublicSigningKey PublicKey { get; }

    /// <summary>A new key pair from the operating system's random source.</summary>
    public static SigningKeyPair Generate() => new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Loads a key pair from its 32-byte private key; false with a reason when the bytes are not one.</summary>
    public static bool TryImportPrivateKey(ReadOnlySpan<byte> privateKey, out SigningKeyPair keyPair, out string error)
    {
        keyPair = null!;
        if (privateKey.Length != PrivateKeyLength)
        {
            error = $"An Ed25519 private key is {PrivateKeyLength} bytes, not {privateKey.Length}.";
            return false;
        }

        var exportable = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (!Key.TryImport(SignatureAlgorithm.Ed25519, privateKey, KeyBlobFormat.RawPrivateKey, out var key, in exportable) || key is null)
        {
            error = "The bytes are not a valid Ed25519 private key.";
            return false;
        }

        keyPair = new SigningKeyPair(key);
        error = string.Empty;
        return true;
    }

    /// <summary>The 32-byte private key. Whoever holds it can sign as this publisher: store it with care.</summary>
    public byte[] ExportPrivateKey() => _key.Export(KeyBlobFormat.RawPrivateKey);

    /// <summary>The Ed25519 signature (64 bytes) of <paramref name="data"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_key, data);

    public void Dispose() => _key.Dispose();
}
