namespace Shoal.Tracker.Udp;

/// <summary>The event field of a BEP 15 announce.</summary>
public enum AnnounceEvent
{
    None = 0,
    Completed = 1,
    Started = 2,
    Stopped = 3,
}
