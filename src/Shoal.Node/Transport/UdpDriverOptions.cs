namespace Shoal.Node.Transport;

/// <summary>Settings of <see cref="UdpDriver"/>.</summary>
public sealed record UdpDriverOptions
{
    /// <summary>The largest datagram the engine may emit or the socket accepts (an Ethernet MTU of UDP payload).</summary>
    public int MaxDatagramSize { get; init; } = 1500;

    /// <summary>Kernel receive buffer: large, so a burst at loopback rates is queued rather than dropped.</summary>
    public int SocketReceiveBufferBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Kernel send buffer.</summary>
    public int SocketSendBufferBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// How many remote addresses are remembered for allocation-free address translation; past it the cache is
    /// cleared, so a flood of spoofed sources cannot grow memory.
    /// </summary>
    public int AddressCacheLimit { get; init; } = 65_536;

    public static UdpDriverOptions Default { get; } = new();
}
