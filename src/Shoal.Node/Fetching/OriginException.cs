using System.Net;

namespace Shoal.Node.Fetching;

/// <summary>An origin request failed for good (after the retries that made sense); the message says why in one line.</summary>
public sealed class OriginException : Exception
{
    public OriginException()
    {
    }

    public OriginException(string message)
        : base(message)
    {
    }

    public OriginException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OriginException(string message, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The origin's status when it answered with an error; null when it could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }
}
