namespace Shoal.Tracker.Udp;

/// <summary>Why a BEP 15 packet could not be decoded.</summary>
public enum Bep15Error
{
    None = 0,
    TooShort,
    BadProtocolId,
    UnexpectedAction,
    UnknownEvent,
    TooManyInfoHashes,
    BadLength,
}
