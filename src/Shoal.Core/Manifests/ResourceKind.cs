namespace Shoal.Core.Manifests;

/// <summary>What a resource is, which decides how it is cut into segments (PPIO's fragmentation rules).</summary>
public enum ResourceKind : byte
{
    /// <summary>A plain file: fixed-size segments ("FS").</summary>
    File = 1,

    /// <summary>HLS video on demand: one segment per media segment ("TS").</summary>
    HlsVod = 2,

    /// <summary>HLS live: one segment per media segment, the list grows and slides.</summary>
    HlsLive = 3,

    /// <summary>DASH: one segment per media segment, live or on demand.</summary>
    Dash = 4,

    /// <summary>HTTP-FLV on demand: fixed-size slices of the byte stream ("VS").</summary>
    FlvVod = 5,

    /// <summary>HTTP-FLV live: slices that start at a keyframe and last at least a minimum duration.</summary>
    FlvLive = 6,
}
