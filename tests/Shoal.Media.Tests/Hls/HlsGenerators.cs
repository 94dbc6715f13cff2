using CsCheck;
using Shoal.Media.Hls;

namespace Shoal.Media.Tests.Hls;

/// <summary>CsCheck generators of playlists the writer can express.</summary>
internal static class HlsGenerators
{
    private static readonly Gen<string> UriText =
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789./?=&-_%~"], 1, 30].Where(s => s[0] != '#');

    // Trailing blanks are not representable: the parser drops them (RFC 8216 §4.1 gives them no meaning).
    private static readonly Gen<string> SafeText = Gen.String[Gen.Char["abcXYZ 019,.:=-_/\"'"], 1, 20].Where(s => s[^1] != ' ');

    private static readonly Gen<string?> TagValue = SafeText.Null(0.3);

    private static readonly Gen<HlsTag> UnknownTag = Gen.Select(
        Gen.OneOf("EXT-X-INDEPENDENT-SEGMENTS", "EXT-X-START", "EXT-X-VENDOR-A", "EXT-X-KEY", "EXT-X-PROGRAM-DATE-TIME", "EXT-X-GAP", " a comment", "EXTZ"),
        TagValue,
        (name, value) => new HlsTag(name, value));

    private static readonly Gen<HlsByteRange?> ByteRange = Gen.Select(Gen.Long[0, 1L << 40], Gen.Bool, Gen.Long[0, 1L << 40], (length, hasOffset, offset) => new HlsByteRange(length, hasOffset ? offset : null)).Nullable(0.5);

    private static readonly Gen<HlsSegment> Segment = Gen.Select(
        UriText,
        Gen.Long[0, 100_000_000].Select(us => us / 1e6),
        SafeText.Null(0.3),
        ByteRange,
        Gen.Bool,
        Gen.Select(Gen.Bool, UriText, ByteRange, (has, uri, range) => has ? HlsMap.Create(uri, range) : null),
        UnknownTag.Array[0, 3],
        (uri, duration, title, range, discontinuity, map, tags) => new HlsSegment
        {
            Uri = uri,
            Duration = duration,
            Title = title,
            ByteRange = range,
            Discontinuity = discontinuity,
            Map = map,
            Tags = tags,
        });

    private static readonly Gen<Uri?> PlaylistUrl = Gen.OneOf<Uri?>(null, new Uri("http://o.example/a/b/index.m3u8"), new Uri("https://cdn.example:8443/x/y.m3u8?sig=1"));

    public static readonly Gen<HlsMediaPlaylist> MediaPlaylist = Gen.Select(
        Gen.Select(PlaylistUrl, Gen.Int[0, 10], Gen.Long[0, 100], Gen.Long[0, 1_000_000_000_000], Gen.Long[0, 1000]),
        Gen.OneOf<string?>(null, "VOD", "EVENT"),
        Gen.Bool,
        UnknownTag.Array[0, 3],
        Segment.Array[0, 12],
        UnknownTag.Array[0, 2],
        (head, type, endList, header, segments, trailing) => new HlsMediaPlaylist
        {
            Url = head.Item1,
            Version = head.Item2 == 0 ? null : head.Item2,
            TargetDuration = head.Item3,
            MediaSequence = head.Item4,
            DiscontinuitySequence = head.Item5,
            PlaylistType = type,
            EndList = endList,
            HeaderTags = header,
            Segments = segments,
            TrailingTags = trailing,
        });

    private static readonly Gen<string> QuotedSafe = Gen.String[Gen.Char["abc XYZ019,.=-_/"], 1, 20];

    private static readonly Gen<HlsVariant> Variant = Gen.Select(
        Gen.Long[0, 100_000_000], Gen.Bool, Gen.Int[1, 4000], Gen.Int[1, 3000], Gen.Bool, QuotedSafe, UriText, UnknownTag.Array[0, 2],
        (bandwidth, hasResolution, w, h, hasCodecs, codecs, uri, tags) =>
        {
            var attributes = HlsAttributeList.Empty.With("BANDWIDTH", bandwidth.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (hasResolution)
            {
                attributes = attributes.With("RESOLUTION", $"{w}x{h}");
            }

            if (hasCodecs)
            {
                attributes = attributes.WithString("CODECS", codecs);
            }

            return new HlsVariant(attributes, uri) { Tags = tags };
        });

    private static readonly Gen<HlsRendition> Rendition = Gen.Select(
        Gen.OneOf("AUDIO", "SUBTITLES"), QuotedSafe, QuotedSafe, Gen.Bool, UriText, UnknownTag.Array[0, 2],
        (type, group, name, hasUri, uri, tags) =>
        {
            var attributes = HlsAttributeList.Empty.With("TYPE", type).WithString("GROUP-ID", group).WithString("NAME", name);
            return new HlsRendition(hasUri ? attributes.WithString("URI", uri) : attributes) { Tags = tags };
        });

    public static readonly Gen<HlsMasterPlaylist> MasterPlaylist = Gen.Select(
        PlaylistUrl, Gen.Int[0, 10], UnknownTag.Array[0, 3], Rendition.Array[0, 4], Variant.Array[1, 6], UnknownTag.Array[0, 2],
        (url, version, header, renditions, variants, trailing) => new HlsMasterPlaylist
        {
            Url = url,
            Version = version == 0 ? null : version,
            HeaderTags = header,
            Renditions = renditions,
            Variants = variants,
            TrailingTags = trailing,
        });
}
