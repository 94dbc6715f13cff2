using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Shoal.Cli.Demo;

/// <summary>
/// Finds loopback ports nobody uses, below the kernel's ephemeral range. A demo chooses every port at start and a
/// node binds its own seconds later: a port from the ephemeral range could meanwhile be handed to any outgoing
/// connection (the players' own, for one), and that node would fail with "address already in use".
/// </summary>
internal static class FreePorts
{
    private const int Lowest = 10_000;
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private static readonly object Gate = new();
    // Ports are handed out one after another from a start drawn from the process id: two demos at once (the test suite
    // runs two) start far apart and walk away from each other, where random draws could meet in a port one has chosen
    // and not yet bound.
    private static int _handedOut;

    /// <summary>A port free for TCP now, never handed out before by this process (unless it has gone round its whole range).</summary>
    public static int Tcp() => Pick(SocketType.Stream, ProtocolType.Tcp);

    /// <summary>A port free for UDP now, never handed out before by this process (unless it has gone round its whole range).</summary>
    public static int Udp() => Pick(SocketType.Dgram, ProtocolType.Udp);

    /// <summary>The first port the kernel may hand to an outgoing connection (32768 when it does not say).</summary>
    public static int EphemeralStart()
    {
        try
        {
            var first = File.ReadAllText(EphemeralRangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }

    private static int Pick(SocketType type, ProtocolType protocol)
    {
        var below = EphemeralStart();
        var span = below - Lowest;
        if (span < 1_000)
        {
            // A kernel whose ephemeral range starts this low leaves no quiet range: take what it gives.
            return BindLoopback(type, protocol, 0);
        }

        var start = (int)((uint)Environment.ProcessId * 2_654_435_761u % (uint)span);
        lock (Gate)
        {
            for (var attempt = 0; attempt < span; attempt++)
            {
                var port = Lowest + ((start + _handedOut++) % span);
                try
                {
                    return BindLoopback(type, protocol, port);
                }
                catch (SocketException)
                {
                    // Taken: try the next one.
                }
            }
        }

        return BindLoopback(type, protocol, 0);
    }

    /// <summary>Binds (and for TCP listens on) a loopback port, 0 for one the kernel chooses, and frees it; the port bound.</summary>
    private static int BindLoopback(SocketType type, ProtocolType protocol, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        if (type == SocketType.Stream)
        {
            socket.Listen();
        }

        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
