namespace Shoal.Media.Publishing;

/// <summary>The file names a publish writes, shared by the publisher, <c>shoal verify</c>, the origin and the node.</summary>
public static class PublishedFiles
{
    /// <summary>The playlist of a rendition, and the master playlist at the root of a ladder.</summary>
    public const string Playlist = "index.m3u8";

    /// <summary>The signed manifest (SignedManifest bytes) beside each media playlist: the latest update.</summary>
    public const string Manifest = "manifest.shm";

    /// <summary>A JSON view of the same manifest for people.</summary>
    public const string ManifestJson = "manifest.json";

    /// <summary>Folder of numbered live updates (<c>000001.shm</c>...), so a follower that polls misses no link of the chain.</summary>
    public const string UpdatesFolder = "manifest-updates";

    /// <summary>The FLV stream written with --flv.</summary>
    public const string Flv = "live.flv";

    /// <summary>Describes the publish: channel, publisher key, renditions and their RIDs.</summary>
    public const string Description = "publish.json";

    /// <summary>The file name of live update <paramref name="updateNumber"/>.</summary>
    public static string UpdateFile(long updateNumber) => updateNumber.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + ".shm";
}
