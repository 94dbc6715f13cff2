using System.Buffers.Binary;
using Shoal.Core.Integrity;

namespace Shoal.Core.Manifests;

/// <summary>
/// A manifest with the Ed25519 signature of a publisher or mapping-service key: the form in which manifests travel.
/// <see cref="Digest"/> (SHA-256 of <see cref="Bytes"/>) is what the next live update chains to.
/// </summary>
/// <remarks>
/// <code>
/// magic "SHMS" | version (u8) = 1 | algorithm (u8) = 1 (Ed25519) | reserved (u16) = 0 |
/// signer public key (32) | manifest length (u32) | manifest (canonical, see ManifestCodec) | signature (64)
/// </code>
/// The signature covers the domain label "shoal/manifest/v1", a zero byte, the signer's key and the manifest bytes,
/// so it cannot be replayed as a signature of anything else.
/// </remarks>
public sealed class SignedManifest
{
    /// <summary>The envelope format version.</summary>
    public const byte Version = 1;

    private const byte Ed25519Algorithm = 1;
    private const int HeaderLength = 4 + 4 + PublicSigningKey.Length + 4;
    private static ReadOnlySpan<byte> Magic => "SHMS"u8;
    private static ReadOnlySpan<byte> DomainLabel => "shoal/manifest/v1\0"u8;

    private readonly byte[] _bytes;

    private SignedManifest(Manifest manifest, PublicSigningKey signer, byte[] bytes)
    {
        Manifest = manifest;
        Signer = signer;
        _bytes = bytes;
        Digest = Digest.Sha256(bytes);
    }

    public Manifest Manifest { get; }

    /// <summary>The key that signed: compare it with the key you trust (or use <see cref="TryDecode(ReadOnlySpan{byte}, PublicSigningKey, out SignedManifest, out string)"/>).</summary>
    public PublicSigningKey Signer { get; }

    /// <summary>The envelope's bytes, as sent and stored.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>SHA-256 of <see cref="Bytes"/>.</summary>
    public Digest Digest { get; }

    /// <summary>Signs <paramref name="manifest"/> with <paramref name="key"/>.</summary>
    public static SignedManifest Sign(Manifest manifest, SigningKeyPair key)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(key);
        var body = ManifestCodec.Encode(manifest);
        var bytes = new byte[HeaderLength + body.Length + SigningKeyPair.SignatureLength];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        bytes[5] = Ed25519Algorithm;
        key.PublicKey.Span.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8 + PublicSigningKey.Length), (uint)body.Length);
        body.CopyTo(bytes.AsSpan(HeaderLength));
        var signature = key.Sign(SignedBytes(key.PublicKey.Span, body));
        signature.CopyTo(bytes.AsSpan(HeaderLength + body.Length));
        return new SignedManifest(manifest, key.PublicKey, bytes);
    }

    /// <summary>Decodes an envelope and checks that it is signed by <paramref name="trusted"/>.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, PublicSigningKey trusted, out SignedManifest signed, out string error)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (!TryDecode(source, out signed, out error))
        {
            return false;
        }

        if (!signed.Signer.Equals(trusted))
        {
            error = $"The manifest is signed by {signed.Signer}, not by the trusted key {trusted}.";
            signed = null!;
            return false;
        }

        return true;
    }

    /// <summary>Decodes an envelope and checks its signature against the key it names; trust that key separately.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, out SignedManifest signed, out string error)
    {
        signed = null!;
        if (source.Length < HeaderLength + SigningKeyPair.SignatureLength)
        {
            error = $"A signed manifest is at least {HeaderLength + SigningKeyPair.SignatureLength} bytes; got {source.Length}.";
            return false;
        }

        if (!source.StartsWith(Magic))
        {
            error = "Not a signed Shoal manifest (the magic bytes are not \"SHMS\").";
            return false;
        }

        if (source[4] != Version)
        {
            error = $"Signed manifest version {source[4]} is not supported (this build reads version {Version}).";
            return false;
        }

        if (source[5] != Ed25519Algorithm)
        {
            error = $"Signature algorithm {source[5]} is not supported (only 1, Ed25519).";
            return false;
        }

        if (source[6] != 0 || source[7] != 0)
        {
            error = "The reserved bytes of the signed manifest are not zero.";
            return false;
        }

        var keyBytes = source.Slice(8, PublicSigningKey.Length);
        var bodyLength = BinaryPrimitives.ReadUInt32BigEndian(source[(8 + PublicSigningKey.Length)..]);
        if (bodyLength != (ulong)(source.Length - HeaderLength - SigningKeyPair.SignatureLength))
        {
            error = $"The signed manifest says its manifest is {bodyLength} bytes, but {source.Length - HeaderLength - SigningKeyPair.SignatureLength} are there.";
            return false;
        }

        if (!PublicSigningKey.TryFromBytes(keyBytes, out var signer, out error))
        {
            return false;
        }

        var body = source.Slice(HeaderLength, (int)bodyLength);
        var signature = source[(HeaderLength + (int)bodyLength)..];
        if (!signer.Verify(SignedBytes(keyBytes, body), signature))
        {
            error = $"The signature does not match: the manifest was altered or not signed by {signer}.";
            return false;
        }

        if (!ManifestCodec.TryDecode(body, out var manifest, out error))
        {
            error = "The signed manifest is invalid: " + error;
            return false;
        }

        signed = new SignedManifest(manifest, signer, source.ToArray());
        error = string.Empty;
        return true;
    }

    private static byte[] SignedBytes(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> body)
    {
        var message = new byte[DomainLabel.Length + publicKey.Length + body.Length];
        DomainLabel.CopyTo(message);
        publicKey.CopyTo(message.AsSpan(DomainLabel.Length));
        body.CopyTo(message.AsSpan(DomainLabel.Length + publicKey.Length));
        return message;
    }
}
