namespace Shoal.Media.Hls;

/// <summary>Why a playlist was rejected: a 1-based line number (0 when the whole input is at fault) and a sentence.</summary>
public readonly record struct HlsParseError(int Line, string Message)
{
    /// <summary>The error as one line for logs and 4xx/502 bodies.</summary>
    public override string ToString() => Line > 0 ? $"playlist line {Line}: {Message}" : $"playlist: {Message}";
}
