namespace Shoal.Protocol;

/// <summary>
/// Protocol version negotiation by RFC 7574 §7.2-§7.3: the Min/max scheme of RFC 6709 §4.1 (strategy 5).
/// The initiator sends its highest (Version) and lowest (Minimum Version) supported version; the responder
/// answers with the highest version both support as its Version, or closes the channel if there is none.
/// </summary>
public static class VersionNegotiation
{
    /// <summary>RFC 7574 Table 3: version 1 is the protocol RFC 7574 describes.</summary>
    public const byte Rfc7574 = 1;

    /// <summary>The lowest version Shoal speaks.</summary>
    public const byte ShoalMinimum = Rfc7574;

    /// <summary>The highest version Shoal speaks.</summary>
    public const byte ShoalMaximum = Rfc7574;

    /// <summary>
    /// The version to use with a peer that announced [<paramref name="remoteMinimum"/>, <paramref name="remoteMaximum"/>]
    /// (a peer that sends no Minimum Version supports only its Version). False if the ranges do not overlap or
    /// a bound is the reserved version 0.
    /// </summary>
    public static bool TryNegotiate(byte localMinimum, byte localMaximum, byte? remoteMinimum, byte remoteMaximum, out byte version)
    {
        var low = Math.Max(localMinimum, remoteMinimum ?? remoteMaximum);
        var high = Math.Min(localMaximum, remoteMaximum);
        if (low == 0 || low > high)
        {
            version = 0;
            return false;
        }

        version = high;
        return true;
    }

    /// <summary>Whether a version the responder chose lies in our range (the initiator's check).</summary>
    public static bool IsAcceptable(byte localMinimum, byte localMaximum, byte chosen) => chosen != 0 && chosen >= localMinimum && chosen <= localMaximum;
}
