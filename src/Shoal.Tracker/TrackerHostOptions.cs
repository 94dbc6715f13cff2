using System.Net;
using Shoal.Tracker.Oracle;
using Shoal.Tracker.SuperPeers;
using Shoal.Tracker.Udp;

namespace Shoal.Tracker;

/// <summary>Where one tracker instance listens, where its state lives, and the settings of its parts.</summary>
public sealed record TrackerHostOptions
{
    public IPEndPoint UdpEndPoint { get; init; } = new(IPAddress.IPv6Any, 6969);

    public IPEndPoint HttpEndPoint { get; init; } = new(IPAddress.IPv6Any, 8080);

    /// <summary>A StackExchange.Redis configuration ("HOST:PORT"); null keeps the state in memory.</summary>
    public string? Redis { get; init; }

    public UdpTrackerOptions Udp { get; init; } = new();

    public SuperPeerOptions SuperPeers { get; init; } = new();

    public HashOracleOptions Oracle { get; init; } = new();
}
