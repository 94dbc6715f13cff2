using System.Buffers.Binary;

namespace Shoal.Tracker.Peers;

/// <summary>
/// The 20-byte peer id a node sends in every BEP 15 announce; the super-peer registry keys nodes by it.
/// Kept as three words like <see cref="Shoal.Core.Identity.Rid"/> so it hashes and compares without allocations.
/// </summary>
public readonly record struct PeerId(ulong A, ulong B, uint C)
{
    public const int Length = 20;

    public static PeerId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A peer id is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new PeerId(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, A);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], B);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], C);
    }

    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool TryParse(string? hex, out PeerId id)
    {
        id = default;
        if (hex is null || hex.Length != Length * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            return false;
        }

        id = FromBytes(bytes);
        return true;
    }

    /// <summary>A fresh random peer id with Shoal's Azureus-style prefix "-SH0001-" (BEP 20).</summary>
    public static PeerId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Length];
        "-SH0001-"u8.CopyTo(bytes);
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes[8..]);
        return FromBytes(bytes);
    }

    public override string ToString() => ToHex();
}
