namespace Shoal.Tracker.Udp;

/// <summary>The action field of a BEP 15 packet.</summary>
public enum Bep15Action
{
    Connect = 0,
    Announce = 1,
    Scrape = 2,
    Error = 3,
}
