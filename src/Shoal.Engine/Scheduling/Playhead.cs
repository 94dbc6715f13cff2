namespace Shoal.Engine.Scheduling;

/// <summary>
/// Where the player is on the media timeline at a given instant and how fast it moves; the source of every
/// piece's deadline. A paused or not-yet-started player (rate 0) counts as about to move at normal speed from
/// the current instant, so its buffer still fills in deadline order.
/// </summary>
internal readonly record struct Playhead(Instant At, double MediaSeconds, double Rate)
{
    public double MediaSecondsAt(Instant now) => Rate > 0 ? MediaSeconds + (now - At).TotalSeconds * Rate : MediaSeconds;

    /// <summary>The instant the playhead reaches <paramref name="mediaSeconds"/>.</summary>
    public Instant DeadlineOf(double mediaSeconds, Instant now) => Rate > 0
        ? At + TimeSpan.FromSeconds((mediaSeconds - MediaSeconds) / Rate)
        : now + TimeSpan.FromSeconds(mediaSeconds - MediaSeconds);
}
