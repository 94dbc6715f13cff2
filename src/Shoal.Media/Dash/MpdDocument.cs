namespace Shoal.Media.Dash;

/// <summary>A parsed DASH MPD reduced to what a segment fetcher needs: periods, representations and their segment URLs.</summary>
public sealed record MpdDocument
{
    /// <summary>The MPD's own URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>True for MPD@type="dynamic" (live).</summary>
    public bool IsDynamic { get; init; }

    /// <summary>MPD@mediaPresentationDuration, when given.</summary>
    public TimeSpan? MediaPresentationDuration { get; init; }

    /// <summary>MPD@minimumUpdatePeriod, when given (how often a live MPD is refetched).</summary>
    public TimeSpan? MinimumUpdatePeriod { get; init; }

    /// <summary>The periods in order.</summary>
    public IReadOnlyList<MpdPeriod> Periods { get; init; } = [];

    /// <summary>Every representation of every period, in document order.</summary>
    public IEnumerable<MpdRepresentation> Representations =>
        Periods.SelectMany(p => p.AdaptationSets).SelectMany(a => a.Representations);
}
