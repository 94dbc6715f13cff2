using Shoal.Core.Content;

namespace Shoal.Media.Publishing;

/// <summary>Everything <c>shoal publish</c> needs to know; immutable, with named defaults.</summary>
public sealed record PublishOptions
{
    /// <summary>Default segment duration: 2 s, short enough for low lag behind live, long enough for efficient encoding.</summary>
    public const double DefaultSegmentSeconds = 2;

    /// <summary>Default live window: 6 segments in the playlist and the manifest.</summary>
    public const int DefaultWindow = 6;

    /// <summary>Default output frame rate (a fixed rate makes a fixed GOP possible).</summary>
    public const int DefaultFrameRate = 30;

    /// <summary>Default restarts of a crashed ffmpeg before the publish gives up.</summary>
    public const int DefaultMaxRestarts = 5;

    /// <summary>The input: a file, a URL, <c>lavfi:GRAPH</c> or pass-through ffmpeg input options (see <see cref="Ffmpeg.FfmpegInput"/>).</summary>
    public required string Input { get; init; }

    /// <summary>The folder receiving playlists, segments and manifests.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Transcode to <see cref="Rungs"/> with a master playlist; otherwise one rendition (<see cref="SingleRung"/>).</summary>
    public bool Ladder { get; init; }

    /// <summary>The ladder used with <see cref="Ladder"/>.</summary>
    public IReadOnlyList<LadderRung> Rungs { get; init; } = LadderRung.DefaultLadder;

    /// <summary>The rendition used without <see cref="Ladder"/>.</summary>
    public LadderRung SingleRung { get; init; } = LadderRung.Source;

    /// <summary>A live channel: sliding playlist of <see cref="Window"/> segments, old segments deleted, chained manifest updates.</summary>
    public bool Live { get; init; }

    /// <summary>Segment duration in seconds (keyframes are forced at every boundary).</summary>
    public double SegmentSeconds { get; init; } = DefaultSegmentSeconds;

    /// <summary>Segments kept in a live playlist and manifest.</summary>
    public int Window { get; init; } = DefaultWindow;

    /// <summary>Also write an FLV stream (the top rendition) to <c>live.flv</c>.</summary>
    public bool Flv { get; init; }

    /// <summary>Restart ffmpeg when it crashes (up to <see cref="MaxRestarts"/> times) instead of stopping.</summary>
    public bool RestartOnCrash { get; init; }

    /// <summary>Restarts allowed with <see cref="RestartOnCrash"/>.</summary>
    public int MaxRestarts { get; init; } = DefaultMaxRestarts;

    /// <summary>Pause before a restart, so a crash loop does not spin.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>x264 preset (ultrafast ... veryslow).</summary>
    public string Preset { get; init; } = "veryfast";

    /// <summary>Output frame rate.</summary>
    public int FrameRate { get; init; } = DefaultFrameRate;

    /// <summary>Stop after this much media time (ffmpeg -t); null for the whole input.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Read the input at its native rate (ffmpeg -re); null: yes for a live publish of a file or lavfi source.</summary>
    public bool? RealTime { get; init; }

    /// <summary>The channel name in the RIDs (RID = H(publisher key, channel/rendition)); null: the output folder's name.</summary>
    public string? Channel { get; init; }

    /// <summary>How often the output playlists are read to sign new segments.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Piece size written into the manifests.</summary>
    public int PieceSize { get; init; } = SegmentLayout.DefaultPieceSize;

    /// <summary>Live manifest updates kept in each rendition's <c>manifest-updates/</c> folder for followers that poll.</summary>
    public int KeptUpdates { get; init; } = 64;
}
