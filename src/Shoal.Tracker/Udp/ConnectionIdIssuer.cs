using System.Buffers.Binary;
using System.Security.Cryptography;
using Shoal.Tracker.Peers;

namespace Shoal.Tracker.Udp;

/// <summary>
/// Issues and checks BEP 15 connection ids without keeping any state: an id is a coarse timestamp plus an HMAC of
/// that timestamp and the asker's address under a server secret, so only someone who received our connect
/// response at that address can present it (anti-spoofing), and it stops working after
/// <see cref="UdpTrackerOptions.ConnectionIdLifetime"/> (BEP 15: "accept the connection ID until two minutes after
/// it has been sent").
/// </summary>
/// <remarks>
/// Layout of the 64-bit id: the high 16 bits are the issue tick (seconds / <see cref="UdpTrackerOptions.ConnectionIdTick"/>,
/// modulo 2^16), the low 48 bits are the first 48 bits of HMAC-SHA256(secret, tick[8] ‖ address[16] ‖ port[2]).
/// Several tracker instances that share the secret accept each other's ids.
/// </remarks>
public sealed class ConnectionIdIssuer
{
    public const int SecretLength = 32;
    private const int MacBits = 48;
    private const ulong MacMask = (1UL << MacBits) - 1;
    private const int TickBits = 16;

    private readonly byte[] _secret;
    private readonly TimeProvider _time;
    private readonly long _tickSeconds;
    private readonly long _lifetimeTicks;

    public ConnectionIdIssuer(ReadOnlySpan<byte> secret, TimeProvider time, UdpTrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        if (secret.Length < 16)
        {
            throw new ArgumentException("The connection-id secret needs at least 16 bytes.", nameof(secret));
        }

        _secret = secret.ToArray();
        _time = time;
        _tickSeconds = Math.Max(1, (long)options.ConnectionIdTick.TotalSeconds);
        // Round up so an id is accepted for at least the whole lifetime, whatever moment in its tick it was issued.
        _lifetimeTicks = ((long)options.ConnectionIdLifetime.TotalSeconds + _tickSeconds - 1) / _tickSeconds;
    }

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretLength);

    public ulong Issue(in PeerEndpoint asker)
    {
        var tick = CurrentTick();
        return ((ulong)tick << MacBits) | Mac(tick, asker);
    }

    public bool IsValid(ulong connectionId, in PeerEndpoint asker)
    {
        var now = CurrentTick();
        var issuedLow = (long)(connectionId >> MacBits);
        var age = (now - issuedLow) & ((1L << TickBits) - 1);
        if (age > _lifetimeTicks)
        {
            return false;
        }

        var issued = now - age;
        return Mac(issued, asker) == (connectionId & MacMask);
    }

    private long CurrentTick() => _time.GetUtcNow().ToUnixTimeSeconds() / _tickSeconds;

    private ulong Mac(long tick, in PeerEndpoint asker)
    {
        Span<byte> input = stackalloc byte[26];
        BinaryPrimitives.WriteInt64BigEndian(input, tick);
        BinaryPrimitives.WriteUInt128BigEndian(input[8..], asker.Address);
        BinaryPrimitives.WriteUInt16BigEndian(input[24..], asker.Port);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, input, mac);
        return BinaryPrimitives.ReadUInt64BigEndian(mac) & MacMask;
    }
}
