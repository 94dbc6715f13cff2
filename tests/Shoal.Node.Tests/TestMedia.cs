using System.Globalization;
using System.Text;

namespace Shoal.Node.Tests;

/// <summary>Folders of test content: random "segments" with a media playlist, and random files.</summary>
internal static class TestMedia
{
    /// <summary>Writes <paramref name="count"/> segments of random bytes and an index.m3u8 listing them with the given duration.</summary>
    public static byte[][] WriteHlsFolder(string directory, int count, double durationSeconds, int segmentBytes, int seed)
    {
        var random = new Random(seed);
        var segments = new byte[count][];
        var playlist = new StringBuilder();
        playlist.Append(CultureInfo.InvariantCulture, $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:{(int)Math.Ceiling(durationSeconds)}\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        for (var i = 0; i < count; i++)
        {
            segments[i] = new byte[segmentBytes + (i * 101)];
            random.NextBytes(segments[i]);
            var name = string.Create(CultureInfo.InvariantCulture, $"seg{i:000}.ts");
            File.WriteAllBytes(Path.Combine(directory, name), segments[i]);
            playlist.Append(CultureInfo.InvariantCulture, $"#EXTINF:{durationSeconds:0.000},\n{name}\n");
        }

        playlist.Append("#EXT-X-ENDLIST\n");
        File.WriteAllText(Path.Combine(directory, "index.m3u8"), playlist.ToString());
        return segments;
    }

    public static byte[] WriteRandomFile(string path, int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return bytes;
    }
}
