namespace Shoal.Tracker.Udp;

/// <summary>Running totals of what a tracker instance has answered, for the overview page and logs.</summary>
public sealed class TrackerCounters
{
    private long _connects;
    private long _announces;
    private long _scrapes;
    private long _rejected;

    public long Connects => Interlocked.Read(ref _connects);

    public long Announces => Interlocked.Read(ref _announces);

    public long Scrapes => Interlocked.Read(ref _scrapes);

    /// <summary>Malformed packets and requests with a bad or expired connection id.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    internal void Connect() => Interlocked.Increment(ref _connects);

    internal void Announce() => Interlocked.Increment(ref _announces);

    internal void Scrape() => Interlocked.Increment(ref _scrapes);

    internal void Reject() => Interlocked.Increment(ref _rejected);
}
