using System.Buffers.Binary;
using System.Text;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;

namespace Shoal.Tracker.Udp;

/// <summary>
/// Reads and writes the packets of BitTorrent's UDP tracker protocol (BEP 15) over spans: every reader checks
/// each length before it trusts it and returns a <see cref="Bep15Error"/> instead of throwing; writers fill a
/// caller's buffer and return the bytes written.
/// </summary>
/// <remarks>
/// Layouts (all big-endian), BEP 15:
/// <code>
/// connect request    0 int64 protocol_id = 0x41727101980 | 8 int32 action = 0 | 12 int32 transaction_id           (16)
/// connect response   0 int32 action = 0 | 4 int32 transaction_id | 8 int64 connection_id                          (16)
/// announce request   0 int64 connection_id | 8 int32 action = 1 | 12 int32 transaction_id | 16 info_hash[20]
///                    36 peer_id[20] | 56 int64 downloaded | 64 int64 left | 72 int64 uploaded | 80 int32 event
///                    84 uint32 ip | 88 uint32 key | 92 int32 num_want | 96 uint16 port                           (98+)
/// announce response  0 int32 action = 1 | 4 int32 transaction_id | 8 int32 interval | 12 int32 leechers
///                    16 int32 seeders | 20 (ip[4 or 16], port[2]) * n                                            (20+6n / 20+18n)
/// scrape request     0 int64 connection_id | 8 int32 action = 2 | 12 int32 transaction_id | 16 info_hash[20] * n
/// scrape response    0 int32 action = 2 | 4 int32 transaction_id | 8 (seeders, completed, leechers int32) * n
/// error response     0 int32 action = 3 | 4 int32 transaction_id | 8 message (UTF-8, to the end)
/// </code>
/// An announce may carry BEP 41 option bytes after offset 98; they are ignored.
/// </remarks>
public static class Bep15Codec
{
    /// <summary>BEP 15: the magic constant in a connect request.</summary>
    public const ulong ProtocolId = 0x41727101980;

    public const int ConnectRequestLength = 16;
    public const int ConnectResponseLength = 16;
    public const int AnnounceRequestLength = 98;
    public const int AnnounceResponseHeaderLength = 20;
    public const int ScrapeRequestHeaderLength = 16;
    public const int ScrapeEntryLength = 12;
    public const int ScrapeResponseHeaderLength = 8;
    public const int ErrorHeaderLength = 8;

    /// <summary>BEP 15: "Up to about 74 torrents can be scraped at once"; a full-MTU datagram holds no more.</summary>
    public const int MaxScrapeInfoHashes = 74;

    private const int ActionOffset = 8;
    private const int TransactionOffset = 12;
    private const int InfoHashOffset = 16;
    private const int PeerIdOffset = 36;
    private const int DownloadedOffset = 56;
    private const int LeftOffset = 64;
    private const int UploadedOffset = 72;
    private const int EventOffset = 80;
    private const int IpOffset = 84;
    private const int KeyOffset = 88;
    private const int NumWantOffset = 92;
    private const int PortOffset = 96;

    // ---- requests (what a tracker reads) ----

    /// <summary>Reads the common head of a request: connection id (or protocol id), action and transaction id.</summary>
    public static bool TryReadRequestHeader(ReadOnlySpan<byte> packet, out ulong connectionId, out Bep15Action action, out int transactionId, out Bep15Error error)
    {
        connectionId = 0;
        action = default;
        transactionId = 0;
        if (packet.Length < ConnectRequestLength)
        {
            error = Bep15Error.TooShort;
            return false;
        }

        connectionId = BinaryPrimitives.ReadUInt64BigEndian(packet);
        action = (Bep15Action)BinaryPrimitives.ReadInt32BigEndian(packet[ActionOffset..]);
        transactionId = BinaryPrimitives.ReadInt32BigEndian(packet[TransactionOffset..]);
        if (action == Bep15Action.Connect && connectionId != ProtocolId)
        {
            error = Bep15Error.BadProtocolId;
            return false;
        }

        if (action is not (Bep15Action.Connect or Bep15Action.Announce or Bep15Action.Scrape))
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        error = Bep15Error.None;
        return true;
    }

    public static bool TryReadConnectRequest(ReadOnlySpan<byte> packet, out int transactionId, out Bep15Error error)
    {
        transactionId = 0;
        if (!TryReadRequestHeader(packet, out _, out var action, out transactionId, out error))
        {
            return false;
        }

        if (action != Bep15Action.Connect)
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        return true;
    }

    public static bool TryReadAnnounceRequest(ReadOnlySpan<byte> packet, out AnnounceRequest request, out Bep15Error error)
    {
        request = default;
        if (!TryReadRequestHeader(packet, out var connectionId, out var action, out var transactionId, out error))
        {
            return false;
        }

        if (action != Bep15Action.Announce)
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        if (packet.Length < AnnounceRequestLength)
        {
            error = Bep15Error.TooShort;
            return false;
        }

        var announceEvent = BinaryPrimitives.ReadInt32BigEndian(packet[EventOffset..]);
        if (announceEvent is < (int)AnnounceEvent.None or > (int)AnnounceEvent.Stopped)
        {
            error = Bep15Error.UnknownEvent;
            return false;
        }

        request = new AnnounceRequest(
            connectionId,
            transactionId,
            Rid.FromBytes(packet.Slice(InfoHashOffset, Rid.Length)),
            PeerId.FromBytes(packet.Slice(PeerIdOffset, PeerId.Length)),
            BinaryPrimitives.ReadInt64BigEndian(packet[DownloadedOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(packet[LeftOffset..]),
            BinaryPrimitives.ReadInt64BigEndian(packet[UploadedOffset..]),
            (AnnounceEvent)announceEvent,
            BinaryPrimitives.ReadUInt32BigEndian(packet[IpOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[KeyOffset..]),
            BinaryPrimitives.ReadInt32BigEndian(packet[NumWantOffset..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[PortOffset..]));
        return true;
    }

    /// <summary>Reads a scrape request; <paramref name="infoHashes"/> is the raw run of 20-byte hashes inside the packet.</summary>
    public static bool TryReadScrapeRequest(ReadOnlySpan<byte> packet, out ulong connectionId, out int transactionId, out ReadOnlySpan<byte> infoHashes, out Bep15Error error)
    {
        infoHashes = default;
        if (!TryReadRequestHeader(packet, out connectionId, out var action, out transactionId, out error))
        {
            return false;
        }

        if (action != Bep15Action.Scrape)
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        var body = packet[ScrapeRequestHeaderLength..];
        if (body.Length < Rid.Length)
        {
            error = Bep15Error.TooShort;
            return false;
        }

        // Trailing bytes that do not make a whole hash are ignored, as opentracker does.
        var count = body.Length / Rid.Length;
        if (count > MaxScrapeInfoHashes)
        {
            error = Bep15Error.TooManyInfoHashes;
            return false;
        }

        infoHashes = body[..(count * Rid.Length)];
        return true;
    }

    // ---- requests (what a client writes) ----

    public static int WriteConnectRequest(Span<byte> destination, int transactionId)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, ProtocolId);
        BinaryPrimitives.WriteInt32BigEndian(destination[ActionOffset..], (int)Bep15Action.Connect);
        BinaryPrimitives.WriteInt32BigEndian(destination[TransactionOffset..], transactionId);
        return ConnectRequestLength;
    }

    public static int WriteAnnounceRequest(Span<byte> destination, in AnnounceRequest request)
    {
        var packet = destination[..AnnounceRequestLength];
        BinaryPrimitives.WriteUInt64BigEndian(packet, request.ConnectionId);
        BinaryPrimitives.WriteInt32BigEndian(packet[ActionOffset..], (int)Bep15Action.Announce);
        BinaryPrimitives.WriteInt32BigEndian(packet[TransactionOffset..], request.TransactionId);
        request.InfoHash.WriteTo(packet[InfoHashOffset..]);
        request.PeerId.WriteTo(packet[PeerIdOffset..]);
        BinaryPrimitives.WriteInt64BigEndian(packet[DownloadedOffset..], request.Downloaded);
        BinaryPrimitives.WriteInt64BigEndian(packet[LeftOffset..], request.Left);
        BinaryPrimitives.WriteInt64BigEndian(packet[UploadedOffset..], request.Uploaded);
        BinaryPrimitives.WriteInt32BigEndian(packet[EventOffset..], (int)request.Event);
        BinaryPrimitives.WriteUInt32BigEndian(packet[IpOffset..], request.IPv4);
        BinaryPrimitives.WriteUInt32BigEndian(packet[KeyOffset..], request.Key);
        BinaryPrimitives.WriteInt32BigEndian(packet[NumWantOffset..], request.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(packet[PortOffset..], request.Port);
        return AnnounceRequestLength;
    }

    public static int WriteScrapeRequest(Span<byte> destination, ulong connectionId, int transactionId, ReadOnlySpan<Rid> infoHashes)
    {
        if (infoHashes.Length is 0 or > MaxScrapeInfoHashes)
        {
            throw new ArgumentOutOfRangeException(nameof(infoHashes), $"A scrape carries 1 to {MaxScrapeInfoHashes} info-hashes.");
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[ActionOffset..], (int)Bep15Action.Scrape);
        BinaryPrimitives.WriteInt32BigEndian(destination[TransactionOffset..], transactionId);
        var offset = ScrapeRequestHeaderLength;
        foreach (var hash in infoHashes)
        {
            hash.WriteTo(destination[offset..]);
            offset += Rid.Length;
        }

        return offset;
    }

    // ---- responses (what a tracker writes) ----

    public static int WriteConnectResponse(Span<byte> destination, int transactionId, ulong connectionId)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)Bep15Action.Connect);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], transactionId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], connectionId);
        return ConnectResponseLength;
    }

    public static int WriteAnnounceResponse(Span<byte> destination, in AnnounceResponseHeader header, ReadOnlySpan<PeerEndpoint> peers, bool ipv6)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)Bep15Action.Announce);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], header.TransactionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], header.Interval);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], header.Leechers);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], header.Seeders);
        var offset = AnnounceResponseHeaderLength;
        foreach (var peer in peers)
        {
            offset += peer.WriteCompact(destination[offset..], ipv6);
        }

        return offset;
    }

    public static int WriteScrapeResponse(Span<byte> destination, int transactionId, ReadOnlySpan<ScrapeEntry> entries)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)Bep15Action.Scrape);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], transactionId);
        var offset = ScrapeResponseHeaderLength;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteInt32BigEndian(destination[offset..], entry.Seeders);
            BinaryPrimitives.WriteInt32BigEndian(destination[(offset + 4)..], entry.Completed);
            BinaryPrimitives.WriteInt32BigEndian(destination[(offset + 8)..], entry.Leechers);
            offset += ScrapeEntryLength;
        }

        return offset;
    }

    /// <summary>Writes an error response, cutting the message to fit <paramref name="destination"/> (whole UTF-8 characters only).</summary>
    public static int WriteError(Span<byte> destination, int transactionId, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)Bep15Action.Error);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], transactionId);
        var room = destination.Length - ErrorHeaderLength;
        var chars = message.AsSpan();
        while (Encoding.UTF8.GetByteCount(chars) > room)
        {
            chars = chars[..^1];
        }

        return ErrorHeaderLength + Encoding.UTF8.GetBytes(chars, destination[ErrorHeaderLength..]);
    }

    // ---- responses (what a client reads) ----

    public static bool TryReadResponseHeader(ReadOnlySpan<byte> packet, out Bep15Action action, out int transactionId, out Bep15Error error)
    {
        action = default;
        transactionId = 0;
        if (packet.Length < ErrorHeaderLength)
        {
            error = Bep15Error.TooShort;
            return false;
        }

        action = (Bep15Action)BinaryPrimitives.ReadInt32BigEndian(packet);
        transactionId = BinaryPrimitives.ReadInt32BigEndian(packet[4..]);
        if (action is < Bep15Action.Connect or > Bep15Action.Error)
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        error = Bep15Error.None;
        return true;
    }

    public static bool TryReadConnectResponse(ReadOnlySpan<byte> packet, out int transactionId, out ulong connectionId, out Bep15Error error)
    {
        connectionId = 0;
        if (!TryReadResponseHeader(packet, out var action, out transactionId, out error))
        {
            return false;
        }

        if (action != Bep15Action.Connect)
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        if (packet.Length < ConnectResponseLength)
        {
            error = Bep15Error.TooShort;
            return false;
        }

        connectionId = BinaryPrimitives.ReadUInt64BigEndian(packet[8..]);
        return true;
    }

    /// <summary>Reads an announce response; <paramref name="peers"/> is the raw run of compact peers (6 or 18 bytes each).</summary>
    public static bool TryReadAnnounceResponse(ReadOnlySpan<byte> packet, bool ipv6, out AnnounceResponseHeader header, out ReadOnlySpan<byte> peers, out Bep15Error error)
    {
        header = default;
        peers = default;
        if (!TryReadResponseHeader(packet, out var action, out var transactionId, out error))
        {
            return false;
        }

        if (action != Bep15Action.Announce)
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        if (packet.Length < AnnounceResponseHeaderLength)
        {
            error = Bep15Error.TooShort;
            return false;
        }

        var entry = ipv6 ? PeerEndpoint.IPv6CompactLength : PeerEndpoint.IPv4CompactLength;
        var body = packet[AnnounceResponseHeaderLength..];
        if (body.Length % entry != 0)
        {
            error = Bep15Error.BadLength;
            return false;
        }

        header = new AnnounceResponseHeader(
            transactionId,
            BinaryPrimitives.ReadInt32BigEndian(packet[8..]),
            BinaryPrimitives.ReadInt32BigEndian(packet[12..]),
            BinaryPrimitives.ReadInt32BigEndian(packet[16..]));
        peers = body;
        return true;
    }

    /// <summary>Reads a scrape response; <paramref name="entries"/> is the raw run of 12-byte entries.</summary>
    public static bool TryReadScrapeResponse(ReadOnlySpan<byte> packet, out int transactionId, out ReadOnlySpan<byte> entries, out Bep15Error error)
    {
        entries = default;
        if (!TryReadResponseHeader(packet, out var action, out transactionId, out error))
        {
            return false;
        }

        if (action != Bep15Action.Scrape)
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        var body = packet[ScrapeResponseHeaderLength..];
        if (body.Length % ScrapeEntryLength != 0)
        {
            error = Bep15Error.BadLength;
            return false;
        }

        entries = body;
        return true;
    }

    public static ScrapeEntry ReadScrapeEntry(ReadOnlySpan<byte> entry) => new(
        BinaryPrimitives.ReadInt32BigEndian(entry),
        BinaryPrimitives.ReadInt32BigEndian(entry[4..]),
        BinaryPrimitives.ReadInt32BigEndian(entry[8..]));

    /// <summary>Reads an error response's message; invalid UTF-8 becomes replacement characters, never an exception.</summary>
    public static bool TryReadError(ReadOnlySpan<byte> packet, out int transactionId, out string message, out Bep15Error error)
    {
        message = string.Empty;
        if (!TryReadResponseHeader(packet, out var action, out transactionId, out error))
        {
            return false;
        }

        if (action != Bep15Action.Error)
        {
            error = Bep15Error.UnexpectedAction;
            return false;
        }

        message = Encoding.UTF8.GetString(packet[ErrorHeaderLength..]);
        return true;
    }
}
