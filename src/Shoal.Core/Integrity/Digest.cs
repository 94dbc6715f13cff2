using System.Security.Cryptography;

namespace Shoal.Core.Integrity;

/// <summary>An immutable hash value (a Merkle node, a segment root, a manifest digest) with value equality.</summary>
public readonly struct Digest : IEquatable<Digest>
{
    /// <summary>The longest digest kept (SHA-512's 64 bytes).</summary>
    public const int MaxLength = 64;

    private readonly byte[]? _bytes;

    /// <summary>Copies <paramref name="bytes"/> (1 to 64 bytes).</summary>
    public Digest(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > MaxLength)
        {
            throw new ArgumentException($"A digest is 1 to {MaxLength} bytes, not {bytes.Length}.", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>All-zero digest of <paramref name="length"/> bytes: RFC 7574 §5.1's hash of empty (padding) nodes.</summary>
    public static Digest Zero(int length) => new(new byte[length]);

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Digest Sha256(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return new Digest(hash);
    }

    public int Length => _bytes?.Length ?? 0;

    /// <summary>True for a default (empty) value.</summary>
    public bool IsEmpty => _bytes is null;

    public bool IsZero => _bytes is null || !_bytes.AsSpan().ContainsAnyExcept((byte)0);

    public ReadOnlySpan<byte> Span => _bytes;

    public byte[] ToArray() => Span.ToArray();

    public string ToHex() => Convert.ToHexStringLower(Span);

    public override string ToString() => ToHex();

    /// <summary>Parses lower- or upper-case hex; false with a reason otherwise.</summary>
    public static bool TryParseHex(string? text, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(text) || text.Length % 2 != 0 || text.Length > MaxLength * 2)
        {
            error = $"A digest is 2 to {MaxLength * 2} hex digits (an even number); got {text?.Length ?? 0} characters.";
            return false;
        }

        Span<byte> bytes = stackalloc byte[text.Length / 2];
        if (Convert.FromHexString(text, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            error = $"'{text}' is not hex.";
            return false;
        }

        digest = new Digest(bytes);
        error = string.Empty;
        return true;
    }

    public bool Equals(Digest other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is Digest other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(Digest left, Digest right) => left.Equals(right);

    public static bool operator !=(Digest left, Digest right) => !left.Equals(right);
}
