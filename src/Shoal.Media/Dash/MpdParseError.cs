namespace Shoal.Media.Dash;

/// <summary>Why an MPD was rejected, as one sentence.</summary>
public readonly record struct MpdParseError(string Message)
{
    /// <summary>The error as one line.</summary>
    public override string ToString() => "MPD: " + Message;
}
