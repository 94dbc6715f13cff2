namespace Shoal.Tracker.Client;

/// <summary>A tracker refused a request (a BEP 15 error response or an HTTP error status) or never answered.</summary>
public sealed class TrackerException : Exception
{
    public TrackerException()
    {
    }

    public TrackerException(string message)
        : base(message)
    {
    }

    public TrackerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
