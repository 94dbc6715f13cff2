using System.Net;
using System.Security.Cryptography;

namespace Shoal.Dht.Security;

/// <summary>
/// Issues and checks get_peers tokens (BEP 5): a token is an HMAC of the requester's IP address under a secret
/// that rotates every <see cref="DhtOptions.TokenSecretRotation"/>; the current and the previous secret are
/// accepted, so a token is valid for between one and two rotations (5 to 10 minutes by default) and only from
/// the address it was given to.
/// </summary>
public sealed class TokenIssuer
{
    public const int TokenLength = 8;
    private const int SecretLength = 32;

    private readonly Random _random;
    private readonly TimeSpan _rotation;
    private byte[] _current;
    private byte[] _previous;
    private TimeSpan _rotatedAt;

    public TokenIssuer(Random random, TimeSpan rotation, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
        _rotation = rotation;
        _current = NewSecret();
        _previous = NewSecret();
        _rotatedAt = now;
    }

    public byte[] Issue(IPAddress address, TimeSpan now)
    {
        Rotate(now);
        return Compute(_current, address);
    }

    public bool Validate(IPAddress address, ReadOnlySpan<byte> token, TimeSpan now)
    {
        Rotate(now);
        return token.Length == TokenLength
            && (CryptographicOperations.FixedTimeEquals(token, Compute(_current, address))
                || CryptographicOperations.FixedTimeEquals(token, Compute(_previous, address)));
    }

    private void Rotate(TimeSpan now)
    {
        if (now - _rotatedAt < _rotation)
        {
            return;
        }

        // Rotations happen on a fixed schedule even though they are applied lazily; after two or more missed
        // rotations even the previous secret is too old.
        var periods = (long)((now - _rotatedAt) / _rotation);
        _previous = periods >= 2 ? NewSecret() : _current;
        _current = NewSecret();
        _rotatedAt += _rotation * periods;
    }

    private byte[] NewSecret()
    {
        var secret = new byte[SecretLength];
        _random.NextBytes(secret);
        return secret;
    }

    private static byte[] Compute(byte[] secret, IPAddress address)
    {
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, normalized.GetAddressBytes(), mac);
        return mac[..TokenLength].ToArray();
    }
}
