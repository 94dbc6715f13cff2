namespace Shoal.Media.Dash;

/// <summary>What a URL handed to an MPD rewriter points at.</summary>
public enum MpdUriKind
{
    /// <summary>A SegmentTemplate@media template (contains $...$ identifiers).</summary>
    MediaTemplate,

    /// <summary>A SegmentTemplate@initialization template.</summary>
    InitializationTemplate,

    /// <summary>A SegmentTemplate@index template.</summary>
    IndexTemplate,

    /// <summary>A SegmentList SegmentURL@media (or the base URL it stands for).</summary>
    Segment,

    /// <summary>An Initialization@sourceURL (or the base URL it stands for).</summary>
    Initialization,

    /// <summary>A representation's base URL under SegmentBase (the whole media resource).</summary>
    Base,

    /// <summary>MPD Location (where a dynamic MPD is refetched).</summary>
    Location,
}
