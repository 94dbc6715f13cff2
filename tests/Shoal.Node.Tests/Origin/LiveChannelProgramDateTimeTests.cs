using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Shoal.Node.Origin;

namespace Shoal.Node.Tests.Origin;

/// <summary>The live channel dates every segment with the moment it went on air: the base of the lag behind live.</summary>
public sealed class LiveChannelProgramDateTimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static LiveChannel Channel(FakeTimeProvider time) => new(
        [new LiveSourceSegment("a.ts", 2.0), new LiveSourceSegment("b.ts", 3.0)],
        new LiveChannelOptions { WindowSegments = 3 },
        time);

    private static List<(long Sequence, DateTimeOffset At)> Dated(string playlist)
    {
        var lines = playlist.Split('\n');
        var first = long.Parse(lines.First(l => l.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))[22..], CultureInfo.InvariantCulture);
        return lines.Where(l => l.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            .Select((l, i) => (first + i, DateTimeOffset.Parse(l[25..], CultureInfo.InvariantCulture)))
            .ToList();
    }

    [Fact]
    public void Every_listed_segment_carries_the_time_it_went_on_air()
    {
        var time = new FakeTimeProvider(Start);
        var channel = Channel(time);
        time.Advance(TimeSpan.FromSeconds(7.5)); // after the initial window: seq 2 at +0, 3 at +2, 4 at +5, 5 at +7

        var dated = Dated(channel.RenderPlaylist());

        Assert.Equal(3, dated.Count);
        Assert.Equal(channel.LatestSequence, dated[^1].Sequence);
        Assert.Equal(5, dated[^1].Sequence);
        Assert.Equal(Start.AddSeconds(7), dated[^1].At);
        Assert.All(dated, d => Assert.True(d.At <= time.GetUtcNow()));
        for (var i = 1; i < dated.Count; i++)
        {
            Assert.True(dated[i].At > dated[i - 1].At, "air times increase with the sequence");
        }
    }

    [Fact]
    public void Air_time_follows_the_loop_of_source_durations()
    {
        var time = new FakeTimeProvider(Start);
        var channel = Channel(time);
        // Sequences after the initial window (2) air at +0, +2, +5, +7, +10 ... (durations 2, 3 alternating).
        Assert.Equal(Start, channel.AppearedAt(2));
        Assert.Equal(Start.AddSeconds(2), channel.AppearedAt(3));
        Assert.Equal(Start.AddSeconds(5), channel.AppearedAt(4));
        Assert.Equal(Start.AddSeconds(10), channel.AppearedAt(6));
        Assert.True(channel.AppearedAt(1) < Start);
    }
}
