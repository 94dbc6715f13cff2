namespace Shoal.Engine.Uploading;

/// <summary>The upload side's tuning: the limit, how many neighbours are unchoked and how often that is revised.</summary>
public sealed record UploadSettings
{
    public static UploadSettings Default { get; } = new();

    /// <summary>The upload limit in bytes per second; null for none (LEDBAT still yields to other traffic).</summary>
    public double? LimitBytesPerSecond { get; init; }

    /// <summary>How much above the limit one burst may reach, as seconds of the limit.</summary>
    public TimeSpan Burst { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Regular unchoke slots, chosen by tightest deadline and reciprocation.</summary>
    public int UnchokeSlots { get; init; } = 6;

    /// <summary>Optimistic slots, rotated among the others so newcomers get a first piece to trade.</summary>
    public int OptimisticSlots { get; init; } = 1;

    /// <summary>A super peer has this many times the regular slots.</summary>
    public int SuperPeerSlotFactor { get; init; } = 4;

    /// <summary>How often the unchoked set is revised (BitTorrent: 10 s; shorter suits live deadlines).</summary>
    public TimeSpan RechokeInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the optimistic slot moves on.</summary>
    public TimeSpan OptimisticInterval { get; init; } = TimeSpan.FromSeconds(15);
}
