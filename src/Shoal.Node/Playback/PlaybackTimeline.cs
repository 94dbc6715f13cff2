namespace Shoal.Node.Playback;

/// <summary>
/// What a viewer experiences, computed from when media arrives: the playhead, the buffer ahead of it,
/// start-up time, stalls and the lag behind live, with DESIGN.md's definitions. Pure bookkeeping: the caller
/// passes the time of every event, so the same model serves a real player and a test on a fake clock.
/// </summary>
/// <remarks>
/// Start-up is from the first request to the first media segment fully delivered; playback starts then.
/// A stall is any time the playhead waits for data after start-up, counted until the next segment arrives.
/// The lag behind live of a segment is the wall-clock time from its appearance at the origin to the moment
/// its playback begins.
/// </remarks>
public sealed class PlaybackTimeline
{
    private readonly Queue<BufferedSegment> _ahead = new();
    private readonly List<double> _lagSamples = [];
    private readonly DateTimeOffset _requestedAt;
    private DateTimeOffset _lastAdvance;
    private double _playedIntoHead;
    private DateTimeOffset? _stallStartedAt;
    private bool _ended;

    public PlaybackTimeline(DateTimeOffset requestedAt)
    {
        _requestedAt = requestedAt;
        _lastAdvance = requestedAt;
    }

    /// <summary>Seconds from the first request to the first segment delivered; null before that.</summary>
    public double? StartupSeconds { get; private set; }

    public bool IsStalled => _stallStartedAt is not null;

    public double StallSeconds { get; private set; }

    public int StallCount { get; private set; }

    /// <summary>Seconds of media played so far.</summary>
    public double WatchedSeconds { get; private set; }

    public double BufferSeconds => _ahead.Sum(s => s.Duration) - _playedIntoHead;

    public int SegmentsDelivered { get; private set; }

    public IReadOnlyList<double> LagBehindLiveSamples => _lagSamples;

    /// <summary>A whole segment has arrived and joins the buffer behind whatever is queued.</summary>
    /// <param name="appearedAtOrigin">When the origin first listed the segment (live), or null (VOD).</param>
    public void SegmentDelivered(DateTimeOffset now, double durationSeconds, DateTimeOffset? appearedAtOrigin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(durationSeconds);
        Advance(now);
        var wasEmpty = _ahead.Count == 0;
        _ahead.Enqueue(new BufferedSegment(durationSeconds, appearedAtOrigin));
        SegmentsDelivered++;
        if (StartupSeconds is null)
        {
            StartupSeconds = (now - _requestedAt).TotalSeconds;
        }

        if (_stallStartedAt is { } stalledSince)
        {
            StallSeconds += (now - stalledSince).TotalSeconds;
            _stallStartedAt = null;
        }

        if (wasEmpty)
        {
            BeginHead(now);
        }
    }

    /// <summary>Moves the playhead to <paramref name="now"/>, consuming the buffer and noting a stall if it runs dry.</summary>
    public void Advance(DateTimeOffset now)
    {
        if (now <= _lastAdvance)
        {
            return;
        }

        var elapsed = (now - _lastAdvance).TotalSeconds;
        var cursor = _lastAdvance;
        _lastAdvance = now;
        if (StartupSeconds is null || _stallStartedAt is not null)
        {
            return;
        }

        while (elapsed > 0 && _ahead.Count > 0)
        {
            var head = _ahead.Peek();
            var left = head.Duration - _playedIntoHead;
            if (elapsed < left)
            {
                _playedIntoHead += elapsed;
                WatchedSeconds += elapsed;
                return;
            }

            elapsed -= left;
            WatchedSeconds += left;
            cursor = cursor.AddSeconds(left);
            _ahead.Dequeue();
            _playedIntoHead = 0;
            if (_ahead.Count > 0)
            {
                BeginHead(cursor);
            }
        }

        if (_ahead.Count == 0 && !_ended)
        {
            _stallStartedAt = cursor;
            StallCount++;
        }
    }

    /// <summary>No segment will follow (the end of a VOD stream): running dry from now on is the end, not a stall.</summary>
    public void MarkEnded() => _ended = true;

    /// <summary>Closes an open stall at the end of a session so its time is counted.</summary>
    public void Finish(DateTimeOffset now)
    {
        Advance(now);
        if (_stallStartedAt is { } stalledSince)
        {
            StallSeconds += (now - stalledSince).TotalSeconds;
            _stallStartedAt = now;
        }
    }

    private void BeginHead(DateTimeOffset playbackBegins)
    {
        if (_ahead.Peek().AppearedAtOrigin is { } appeared)
        {
            _lagSamples.Add(Math.Max(0, (playbackBegins - appeared).TotalSeconds));
        }
    }

    private readonly record struct BufferedSegment(double Duration, DateTimeOffset? AppearedAtOrigin);
}
