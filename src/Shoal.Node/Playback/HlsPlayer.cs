using System.Globalization;
using Shoal.Media.Hls;

namespace Shoal.Node.Playback;

/// <summary>
/// A viewer that plays an HLS stream at real-time speed exactly as a video player would: it loads the
/// playlist (following a master playlist to its first variant), starts a live stream a few segments from the
/// end, fetches segments in order while its buffer is below a limit, reloads a live playlist as it grows, and
/// plays its buffer in real time (<see cref="PlaybackTimeline"/>). It never throws for network trouble: it
/// counts the error, waits and tries again, as players do.
/// </summary>
public sealed class HlsPlayer
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly TimeProvider _time;
    private readonly PlayerOptions _options;
    private readonly Action<long, int>? _onSegmentDelivered;
    private readonly Lock _gate = new();
    private PlaybackTimeline? _timeline;
    private string _state = "starting";
    private long _bytes;
    private int _errors;
    private string? _lastError;

    /// <param name="onSegmentDelivered">Told the media sequence number and size of every segment delivered.</param>
    public HlsPlayer(HttpClient http, Uri playlistUrl, TimeProvider time, PlayerOptions? options = null, Action<long, int>? onSegmentDelivered = null)
    {
        _onSegmentDelivered = onSegmentDelivered;
        _http = http;
        _url = playlistUrl;
        _time = time;
        _options = options ?? new PlayerOptions();
    }

    public PlayerSnapshot Snapshot()
    {
        lock (_gate)
        {
            var timeline = _timeline;
            timeline?.Advance(_time.GetUtcNow());
            return new PlayerSnapshot(
                timeline is { IsStalled: true } ? "stalled" : _state,
                timeline?.StartupSeconds,
                timeline?.BufferSeconds ?? 0,
                timeline?.WatchedSeconds ?? 0,
                timeline?.StallSeconds ?? 0,
                timeline?.StallCount ?? 0,
                _bytes,
                timeline?.SegmentsDelivered ?? 0,
                _errors,
                _lastError,
                timeline?.LagBehindLiveSamples.ToArray() ?? []);
        }
    }

    /// <summary>Plays until <paramref name="cancellationToken"/> fires or a VOD stream has been played to its end.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _timeline = new PlaybackTimeline(_time.GetUtcNow());
            _state = "loading";
        }

        long? next = null;
        var mediaUrl = _url;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var playlist = await LoadMediaPlaylistAsync(mediaUrl, cancellationToken);
                if (playlist is null)
                {
                    await WaitAsync(_options.RetryDelay, cancellationToken);
                    continue;
                }

                mediaUrl = playlist.Value.Url;
                var media = playlist.Value.Playlist;
                next ??= media.IsVod
                    ? media.MediaSequence
                    : media.MediaSequence + Math.Max(0, media.Segments.Count - _options.LiveStartSegmentsFromEnd);
                if (next < media.MediaSequence)
                {
                    // The window slid past us (we were too slow): jump to the oldest segment still listed.
                    next = media.MediaSequence;
                }

                var fetchedAny = false;
                while (!cancellationToken.IsCancellationRequested && next < media.MediaSequence + media.Segments.Count)
                {
                    if (BufferSeconds() >= _options.MaxBuffer.TotalSeconds)
                    {
                        await WaitAsync(TimeSpan.FromSeconds(Math.Max(0.2, media.TargetDuration / 2.0)), cancellationToken);
                        if (!media.IsVod)
                        {
                            break; // Reload: a live window moves while we wait.
                        }

                        continue;
                    }

                    var index = (int)(next.Value - media.MediaSequence);
                    if (!await FetchSegmentAsync(media, index, mediaUrl, cancellationToken))
                    {
                        await WaitAsync(_options.RetryDelay, cancellationToken);
                        break;
                    }

                    next++;
                    fetchedAny = true;
                }

                if (media.IsVod && next >= media.MediaSequence + media.Segments.Count)
                {
                    SetState("draining");
                    lock (_gate)
                    {
                        _timeline!.MarkEnded();
                    }

                    await WaitAsync(TimeSpan.FromSeconds(BufferSeconds()), cancellationToken);
                    SetState("ended");
                    return;
                }

                if (!fetchedAny)
                {
                    var reload = TimeSpan.FromSeconds(Math.Max(0.1, media.TargetDuration / 2.0));
                    await WaitAsync(reload < _options.MaxPlaylistReloadInterval ? reload : _options.MaxPlaylistReloadInterval, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
            {
                _timeline?.Finish(_time.GetUtcNow());
                if (_state != "ended")
                {
                    _state = "stopped";
                }
            }
        }
    }

    private async Task<(HlsMediaPlaylist Playlist, Uri Url)?> LoadMediaPlaylistAsync(Uri url, CancellationToken cancellationToken)
    {
        for (var hops = 0; hops < 2; hops++)
        {
            var body = await GetAsync(url, cancellationToken);
            if (body is null)
            {
                return null;
            }

            if (!HlsPlaylistParser.TryParse(body, url, null, out var playlist, out var error))
            {
                Fail($"playlist {url} is not valid HLS: {error}");
                return null;
            }

            switch (playlist)
            {
                case HlsMediaPlaylist media:
                    SetState("playing");
                    return (media, url);
                case HlsMasterPlaylist master when master.Variants.Count > 0:
                    url = new Uri(url, master.Variants[0].Uri);
                    continue;
                default:
                    Fail($"playlist {url} lists no media");
                    return null;
            }
        }

        Fail($"playlist {url} nests master playlists");
        return null;
    }

    private async Task<bool> FetchSegmentAsync(HlsMediaPlaylist media, int index, Uri mediaUrl, CancellationToken cancellationToken)
    {
        var segment = media.Segments[index];
        var body = await GetAsync(new Uri(mediaUrl, segment.Uri), cancellationToken);
        if (body is null)
        {
            return false;
        }

        lock (_gate)
        {
            _bytes += body.Length;
            _timeline!.SegmentDelivered(_time.GetUtcNow(), segment.Duration, ProgramDateTime(segment));
        }

        _onSegmentDelivered?.Invoke(media.SequenceAt(index), body.Length);

        return true;
    }

    /// <summary>
    /// EXT-X-PROGRAM-DATE-TIME of the segment: Shoal's origin stamps each live segment with the moment it
    /// appeared, which is what the lag behind live is measured from.
    /// </summary>
    private static DateTimeOffset? ProgramDateTime(HlsSegment segment)
    {
        foreach (var tag in segment.Tags)
        {
            if (tag.Name == "EXT-X-PROGRAM-DATE-TIME" &&
                DateTimeOffset.TryParse(tag.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }
        }

        return null;
    }

    /// <remarks>
    /// A request in flight is not cut short by <paramref name="cancellationToken"/> (only by its time-out): a viewer
    /// told to stop finishes the segment it is receiving, so what it counts matches what its node sent.
    /// </remarks>
    private async Task<byte[]?> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(_options.RequestTimeout);
        try
        {
            using var response = await _http.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                Fail($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
                return null;
            }

            return await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Fail($"GET {url} timed out after {_options.RequestTimeout.TotalSeconds:0} s");
            return null;
        }
        catch (HttpRequestException e)
        {
            Fail($"GET {url} failed: {e.Message}");
            return null;
        }
    }

    private double BufferSeconds()
    {
        lock (_gate)
        {
            _timeline!.Advance(_time.GetUtcNow());
            return _timeline.BufferSeconds;
        }
    }

    private void SetState(string state)
    {
        lock (_gate)
        {
            _state = state;
        }
    }

    private void Fail(string message)
    {
        lock (_gate)
        {
            _errors++;
            _lastError = message;
        }
    }

    private Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, cancellationToken);
}
