namespace Shoal.Engine.Channels;

/// <summary>Settings of a <see cref="ChannelTable"/>.</summary>
public sealed record ChannelTableOptions
{
    /// <summary>The settings every channel of the table uses.</summary>
    public ChannelOptions Channel { get; init; } = ChannelOptions.Default;

    /// <summary>Open channels at most; further inbound handshakes are refused.</summary>
    public int MaxChannels { get; init; } = 4096;

    /// <summary>
    /// Inbound channels still waiting for the initiator's datagram 3 at most (like TCP's SYN backlog): past it, the
    /// oldest is forgotten silently, so spoofed handshakes cannot fill the table or its timers.
    /// </summary>
    public int MaxHalfOpenChannels { get; init; } = 64;

    /// <summary>Refusals (closing HANDSHAKEs to unknown initiators) waiting to be sent; past this they are not answered.</summary>
    public int MaxPendingRefusals { get; init; } = 256;

    public static ChannelTableOptions Default { get; } = new();
}
