using Shoal.Node.Playback;

namespace Shoal.Node.Tests.Playback;

public sealed class PlaybackTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Startup_is_the_time_to_the_first_segment_delivered()
    {
        var timeline = new PlaybackTimeline(T0);
        Assert.Null(timeline.StartupSeconds);
        timeline.SegmentDelivered(T0.AddSeconds(1.2), 2, null);
        Assert.Equal(1.2, timeline.StartupSeconds!.Value, 6);
        Assert.Equal(2, timeline.BufferSeconds, 6);
    }

    [Fact]
    public void Playhead_consumes_the_buffer_in_real_time()
    {
        var timeline = new PlaybackTimeline(T0);
        timeline.SegmentDelivered(T0.AddSeconds(1), 2, null);
        timeline.SegmentDelivered(T0.AddSeconds(1.5), 2, null);
        timeline.Advance(T0.AddSeconds(3));
        Assert.Equal(2, timeline.WatchedSeconds, 6);
        Assert.Equal(2, timeline.BufferSeconds, 6);
        Assert.False(timeline.IsStalled);
        Assert.Equal(0, timeline.StallCount);
    }

    [Fact]
    public void Running_dry_is_a_stall_until_the_next_segment()
    {
        var timeline = new PlaybackTimeline(T0);
        timeline.SegmentDelivered(T0.AddSeconds(1), 2, null);
        timeline.Advance(T0.AddSeconds(4)); // dry at t=3
        Assert.True(timeline.IsStalled);
        Assert.Equal(1, timeline.StallCount);
        timeline.SegmentDelivered(T0.AddSeconds(4.5), 2, null);
        Assert.False(timeline.IsStalled);
        Assert.Equal(1.5, timeline.StallSeconds, 6);
        timeline.Advance(T0.AddSeconds(5.5));
        Assert.Equal(3, timeline.WatchedSeconds, 6);
    }

    [Fact]
    public void An_unfinished_stall_is_counted_at_the_end()
    {
        var timeline = new PlaybackTimeline(T0);
        timeline.SegmentDelivered(T0.AddSeconds(1), 2, null);
        timeline.Finish(T0.AddSeconds(10));
        Assert.Equal(7, timeline.StallSeconds, 6);
        Assert.Equal(1, timeline.StallCount);
    }

    [Fact]
    public void Lag_is_from_appearance_at_the_origin_to_the_start_of_playback()
    {
        var timeline = new PlaybackTimeline(T0);
        timeline.SegmentDelivered(T0.AddSeconds(1), 2, appearedAtOrigin: T0.AddSeconds(-9));
        timeline.SegmentDelivered(T0.AddSeconds(2), 2, appearedAtOrigin: T0.AddSeconds(-7));
        timeline.Advance(T0.AddSeconds(4));
        // The first plays at t=1 (10 s after it appeared), the second at t=3 (also 10 s after).
        Assert.Equal([10.0, 10.0], timeline.LagBehindLiveSamples.Select(l => Math.Round(l, 6)));
    }

    [Fact]
    public void Running_dry_at_the_end_of_the_stream_is_not_a_stall()
    {
        var timeline = new PlaybackTimeline(T0);
        timeline.SegmentDelivered(T0.AddSeconds(1), 2, null);
        timeline.MarkEnded();
        timeline.Finish(T0.AddSeconds(10));
        Assert.Equal(0, timeline.StallCount);
        Assert.Equal(0, timeline.StallSeconds);
        Assert.Equal(2, timeline.WatchedSeconds, 6);
    }

    [Fact]
    public void Time_going_backwards_changes_nothing()
    {
        var timeline = new PlaybackTimeline(T0);
        timeline.SegmentDelivered(T0.AddSeconds(1), 2, null);
        timeline.Advance(T0.AddSeconds(2));
        timeline.Advance(T0.AddSeconds(1.5));
        Assert.Equal(1, timeline.WatchedSeconds, 6);
    }
}
