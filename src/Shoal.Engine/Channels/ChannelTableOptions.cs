namespace Shoal.Engine.Channels;

/// <summary>Settings of a <see cref="ChannelTable"/>.</summary>
public sealed record ChannelTableOptions
{
    /// <summary>The settings every channel of the table uses.</summary>
    public ChannelOptions Channel { get; init; } = ChannelOptions.Default;

    /// <summary>Open channels at most; further inbound handshakes are refused.</summary>
    public int MaxChannels { get; init; } = 4096;

    /// <summary>Refusals (closing HANDSHAKEs to unknown initiators) waiting to be sent; past this they are not answered.</summary>
    public int MaxPendingRefusals { get; init; } = 256;

    public static ChannelTableOptions Default { get; } = new();
}
