using System.Xml.Linq;
using static Shoal.Media.Dash.MpdTree;

namespace Shoal.Media.Dash;

/// <summary>
/// Reads a DASH MPD from untrusted XML and lists each representation's segment URLs (SegmentTemplate with
/// $Number$/$Time$ and SegmentTimeline, SegmentList, SegmentBase). Returns a clear error instead of throwing.
/// </summary>
public static class MpdParser
{
    /// <summary>Parses <paramref name="xml"/> fetched from <paramref name="mpdUrl"/>.</summary>
    public static bool TryParse(string xml, Uri mpdUrl, MpdParserOptions? options, out MpdDocument? document, out MpdParseError error)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(mpdUrl);
        options ??= MpdParserOptions.Default;
        try
        {
            document = Read(Load(xml, options.MaxCharacters), mpdUrl, options);
            error = default;
            return true;
        }
        catch (MpdFormatException e)
        {
            document = null;
            error = new MpdParseError(e.Message);
            return false;
        }
        catch (OverflowException)
        {
            document = null;
            error = new MpdParseError("a number in the MPD is out of range");
            return false;
        }
    }

    private static MpdDocument Read(XDocument doc, Uri mpdUrl, MpdParserOptions options)
    {
        var root = doc.Root!;
        var isDynamic = Attr(root, "type") == "dynamic";
        var presentationDuration = Duration(root, "mediaPresentationDuration");
        var context = new Context(
            options,
            isDynamic,
            DateTime(root, "availabilityStartTime"),
            Duration(root, "timeShiftBufferDepth"));
        var rootBase = BaseUrl(root, mpdUrl);
        var periodElements = Children(root, "Period").ToArray();
        var periods = new List<MpdPeriod>();
        var start = TimeSpan.Zero;
        for (var p = 0; p < periodElements.Length; p++)
        {
            var period = periodElements[p];
            start = Duration(period, "start") ?? start;
            var duration = Duration(period, "duration")
                ?? (p + 1 < periodElements.Length ? Duration(periodElements[p + 1], "start") - start : presentationDuration - start);
            var periodBase = BaseUrl(period, rootBase);
            var sets = new List<MpdAdaptationSet>();
            foreach (var set in Children(period, "AdaptationSet"))
            {
                var setBase = BaseUrl(set, periodBase);
                var representations = new List<MpdRepresentation>();
                foreach (var rep in Children(set, "Representation"))
                {
                    representations.Add(ReadRepresentation(context, period, start, duration, set, rep, BaseUrl(rep, setBase)));
                }

                sets.Add(new MpdAdaptationSet(Attr(set, "id"), Attr(set, "contentType") ?? Attr(set, "mimeType")?.Split('/')[0], representations));
            }

            periods.Add(new MpdPeriod(Attr(period, "id"), start, duration, sets));
            if (duration is { } d)
            {
                start += d;
            }
        }

        return new MpdDocument
        {
            Url = mpdUrl,
            IsDynamic = isDynamic,
            MediaPresentationDuration = presentationDuration,
            MinimumUpdatePeriod = Duration(root, "minimumUpdatePeriod"),
            Periods = periods,
        };
    }

    private static MpdRepresentation ReadRepresentation(
        Context context, XElement period, TimeSpan periodStart, TimeSpan? periodDuration, XElement set, XElement rep, Uri baseUrl)
    {
        var id = Attr(rep, "id") ?? throw new MpdFormatException("a Representation has no @id");
        var bandwidth = Long(rep, "bandwidth") ?? 0;
        var info = Effective(period, set, rep);
        var result = new MpdRepresentation
        {
            Id = id,
            Bandwidth = bandwidth,
            MimeType = Attr(rep, "mimeType") ?? Attr(set, "mimeType"),
            Codecs = Attr(rep, "codecs") ?? Attr(set, "codecs"),
            Width = (int?)Long(rep, "width") ?? (int?)Long(set, "width"),
            Height = (int?)Long(rep, "height") ?? (int?)Long(set, "height"),
            BaseUrl = baseUrl,
        };

        return info.Kind switch
        {
            SegmentKind.Template => FromTemplate(context, info, result, periodStart, periodDuration),
            SegmentKind.List => FromList(context, info, result),
            _ => result with
            {
                InitializationUrl = Attr(info.Initialization, "range") is not null ? baseUrl : null,
                InitializationRange = Attr(info.Initialization, "range"),
                Segments = [new MpdSegment(1, baseUrl, null, periodDuration?.TotalSeconds, null)],
            },
        };
    }

    private static MpdRepresentation FromTemplate(Context context, SegmentInfo info, MpdRepresentation rep, TimeSpan periodStart, TimeSpan? periodDuration)
    {
        var media = info.Get("media") ?? throw new MpdFormatException($"SegmentTemplate of representation '{rep.Id}' has no @media");
        var timescale = info.GetLong("timescale", 1);
        if (timescale <= 0)
        {
            throw new MpdFormatException($"SegmentTemplate @timescale must be positive (representation '{rep.Id}')");
        }

        var startNumber = info.GetLong("startNumber", 1);
        var offset = info.GetLong("presentationTimeOffset", 0);
        var mediaTemplate = Template(media, rep.BaseUrl);
        Uri? initialization = null;
        if (info.Get("initialization") is { } init)
        {
            initialization = Url(Template(init, rep.BaseUrl).Expand(rep.Id, startNumber, rep.Bandwidth, 0));
        }
        else if (Attr(info.Initialization, "sourceURL") is { } source)
        {
            initialization = Resolve(rep.BaseUrl, source);
        }

        var times = info.Timeline is { } timeline
            ? TimelineTimes(context, timeline, timescale, offset, periodStart, periodDuration, rep.Id)
            : FixedTimes(context, info, timescale, offset, periodStart, periodDuration, rep.Id);
        var segments = new MpdSegment[times.Count];
        for (var i = 0; i < segments.Length; i++)
        {
            var (index, time, duration) = times[i];
            var number = startNumber + index;
            segments[i] = new MpdSegment(number, Url(mediaTemplate.Expand(rep.Id, number, rep.Bandwidth, time)), time, (double)duration / timescale, null);
        }

        return rep with { InitializationUrl = initialization, Segments = segments };
    }

    /// <summary>ISO/IEC 23009-1 §5.3.9.6: S@t (default: previous end), S@d, S@r (negative: repeat up to the next S or the period end).</summary>
    private static List<(long Index, long Time, long Duration)> TimelineTimes(
        Context context, XElement timeline, long timescale, long offset, TimeSpan periodStart, TimeSpan? periodDuration, string repId)
    {
        var result = new List<(long, long, long)>();
        var entries = Children(timeline, "S").ToArray();
        var time = offset;
        for (var e = 0; e < entries.Length; e++)
        {
            var s = entries[e];
            time = Long(s, "t") ?? time;
            var d = Long(s, "d") ?? throw new MpdFormatException($"SegmentTimeline S without @d (representation '{repId}')");
            if (d <= 0)
            {
                throw new MpdFormatException($"SegmentTimeline S@d must be positive (representation '{repId}')");
            }

            var r = Long(s, "r") ?? 0;
            long end;
            if (r >= 0)
            {
                end = checked(time + (d * (r + 1)));
            }
            else if (e + 1 < entries.Length && Long(entries[e + 1], "t") is { } next)
            {
                end = next;
            }
            else if (periodDuration is { } pd)
            {
                end = offset + (long)(pd.TotalSeconds * timescale);
            }
            else if (context.LiveEdgeSeconds(periodStart) is { } edge)
            {
                end = offset + (long)(edge * timescale);
            }
            else
            {
                throw new MpdFormatException($"SegmentTimeline S@r=-1 with no end in sight (representation '{repId}')");
            }

            while (time < end)
            {
                if (result.Count >= context.Options.MaxSegmentsPerRepresentation)
                {
                    throw new MpdFormatException($"representation '{repId}' lists more than {context.Options.MaxSegmentsPerRepresentation} segments");
                }

                result.Add((result.Count, time, d));
                time += d;
            }
        }

        return result;
    }

    private static List<(long Index, long Time, long Duration)> FixedTimes(
        Context context, SegmentInfo info, long timescale, long offset, TimeSpan periodStart, TimeSpan? periodDuration, string repId)
    {
        var d = info.GetLong("duration", 0);
        if (d <= 0)
        {
            throw new MpdFormatException($"SegmentTemplate of representation '{repId}' has neither a SegmentTimeline nor a positive @duration");
        }

        var seconds = (double)d / timescale;
        long first, count;
        if (context.IsDynamic)
        {
            var edge = context.LiveEdgeSeconds(periodStart)
                ?? throw new MpdFormatException("a dynamic MPD without SegmentTimeline needs availabilityStartTime and the current time");
            var available = (long)Math.Floor(edge / seconds);
            if (periodDuration is { } pd)
            {
                available = Math.Min(available, (long)Math.Ceiling(pd.TotalSeconds / seconds));
            }

            var window = context.TimeShiftBufferDepth is { } depth
                ? (long)Math.Ceiling(depth.TotalSeconds / seconds)
                : context.Options.MaxSegmentsPerRepresentation;
            first = Math.Max(0, available - window);
            count = Math.Max(0, available - first);
        }
        else
        {
            var pd = periodDuration ?? throw new MpdFormatException($"cannot tell how many segments representation '{repId}' has: no Period@duration or mediaPresentationDuration");
            first = 0;
            count = (long)Math.Ceiling((pd.TotalSeconds / seconds) - 1e-9);
        }

        if (count > context.Options.MaxSegmentsPerRepresentation)
        {
            throw new MpdFormatException($"representation '{repId}' has more than {context.Options.MaxSegmentsPerRepresentation} segments");
        }

        var result = new List<(long, long, long)>((int)count);
        for (var i = first; i < first + count; i++)
        {
            result.Add((i, offset + (i * d), d));
        }

        return result;
    }

    private static MpdRepresentation FromList(Context context, SegmentInfo info, MpdRepresentation rep)
    {
        if (info.SegmentUrls.Length > context.Options.MaxSegmentsPerRepresentation)
        {
            throw new MpdFormatException($"representation '{rep.Id}' lists more than {context.Options.MaxSegmentsPerRepresentation} segments");
        }

        var timescale = info.GetLong("timescale", 1);
        var d = info.GetLong("duration", 0);
        var startNumber = info.GetLong("startNumber", 1);
        double? seconds = timescale > 0 && d > 0 ? (double)d / timescale : null;
        var segments = info.SegmentUrls.Select((s, i) => new MpdSegment(
            startNumber + i,
            Attr(s, "media") is { } media ? Resolve(rep.BaseUrl, media) : rep.BaseUrl,
            d > 0 ? i * d : null,
            seconds,
            Attr(s, "mediaRange"))).ToArray();
        var init = info.Initialization;
        return rep with
        {
            InitializationUrl = init is null ? null : Attr(init, "sourceURL") is { } source ? Resolve(rep.BaseUrl, source) : rep.BaseUrl,
            InitializationRange = Attr(init, "range"),
            Segments = segments,
        };
    }

    private static DashTemplate Template(string text, Uri baseUrl)
    {
        if (!DashTemplate.TryParse(text, out var template, out var why))
        {
            throw new MpdFormatException(why);
        }

        if (!template.TryResolve(baseUrl, out var absolute) || !DashTemplate.TryParse(absolute, out var resolved, out why))
        {
            throw new MpdFormatException($"template '{text}' does not resolve against '{baseUrl}'");
        }

        return resolved;
    }

    private static Uri Resolve(Uri baseUrl, string relative) =>
        Uri.TryCreate(baseUrl, relative.Trim(), out var url) ? url : throw new MpdFormatException($"'{relative}' is not a valid URL");

    private static Uri Url(string absolute) =>
        Uri.TryCreate(absolute, UriKind.Absolute, out var url) ? url : throw new MpdFormatException($"'{absolute}' is not a valid URL");

    private sealed record Context(MpdParserOptions Options, bool IsDynamic, DateTimeOffset? AvailabilityStartTime, TimeSpan? TimeShiftBufferDepth)
    {
        /// <summary>Seconds from the period start to now, for a dynamic MPD with a clock; null otherwise.</summary>
        public double? LiveEdgeSeconds(TimeSpan periodStart) =>
            IsDynamic && Options.Now is { } now && AvailabilityStartTime is { } ast
                ? Math.Max(0, (now - ast - periodStart).TotalSeconds)
                : null;
    }
}
