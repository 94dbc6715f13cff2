namespace Shoal.Media.Publishing;

/// <summary>Kinds of <see cref="PublishEvent"/>.</summary>
public enum PublishEventKind
{
    /// <summary>ffmpeg reported progress.</summary>
    Progress,

    /// <summary>A rendition's signed manifest was rewritten with new segments.</summary>
    ManifestUpdated,

    /// <summary>ffmpeg crashed and is being restarted.</summary>
    Restarting,

    /// <summary>Something went wrong that the publish carries on past.</summary>
    Warning,
}
