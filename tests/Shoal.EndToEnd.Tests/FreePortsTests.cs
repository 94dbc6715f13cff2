using System.Net;
using System.Net.Sockets;
using Shoal.Cli.Demo;

namespace Shoal.EndToEnd.Tests;

/// <summary>
/// The demo's ports stay clear of the kernel's ephemeral range, so no outgoing connection can take a node's port in
/// the seconds between the demo choosing it and the node binding it (a CI run once failed that way).
/// </summary>
public sealed class FreePortsTests
{
    [Fact]
    public void Ports_are_distinct_bindable_and_below_the_ephemeral_range()
    {
        var ephemeral = FreePorts.EphemeralStart();
        var tcp = Enumerable.Range(0, 100).Select(_ => FreePorts.Tcp()).ToList();
        var udp = Enumerable.Range(0, 100).Select(_ => FreePorts.Udp()).ToList();

        Assert.Equal(200, tcp.Concat(udp).Distinct().Count());
        Assert.All(tcp.Concat(udp), port => Assert.InRange(port, 1_024, ephemeral - 1));
        foreach (var port in tcp)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }

        foreach (var port in udp)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
    }
}
