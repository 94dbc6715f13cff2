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
    public static int Tcp() => Pick(IsFreeForTcp, KernelChosenTcp);

    /// <summary>A port free for UDP now, never handed out before by this process (unless it has gone round its whole range).</summary>
    public static int Udp() => Pick(IsFreeForUdp, KernelChosenUdp);

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

    private static int Pick(Func<int, bool> isFree, Func<int> kernelChosen)
    {
        var below = EphemeralStart();
        var span = below - Lowest;
        if (span < 1_000)
        {
            // A kernel whose ephemeral range starts this low leaves no quiet range: take what it gives.
            return kernelChosen();
        }

        var start = (int)((uint)Environment.ProcessId * 2_654_435_761u % (uint)span);
        lock (Gate)
        {
            for (var attempt = 0; attempt < span; attempt++)
            {
                var port = Lowest + ((start + _handedOut++) % span);
                if (isFree(port))
                {
                    return port;
                }
            }
        }

        return kernelChosen();
    }

    private static bool IsFreeForTcp(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsFreeForUdp(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int KernelChosenTcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int KernelChosenUdp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
