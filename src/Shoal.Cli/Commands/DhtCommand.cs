using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Shoal.Core.Identity;
using Shoal.Dht.Service;

namespace Shoal.Cli.Commands;

/// <summary>`shoal dht`: runs a Mainline DHT node (BEP 5), announces RIDs and looks up their peers.</summary>
internal static class DhtCommand
{
    private static readonly TimeSpan ReannounceInterval = TimeSpan.FromMinutes(15);

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "UDP port to listen on (0 picks a free one).", DefaultValueFactory = _ => 6881 };
        var bind = new Option<string>("--bind") { Description = "IPv4 address to bind.", DefaultValueFactory = _ => "0.0.0.0" };
        var bootstrap = new Option<string[]>("--bootstrap") { Description = "HOST:PORT of a DHT node to join through (repeatable), e.g. router.bittorrent.com:6881.", AllowMultipleArgumentsPerToken = true };
        var announce = new Option<string[]>("--announce") { Description = "RID:PORT to announce (repeatable); RID is 40 hex digits or 32 base32 characters, PORT 0 means this node's UDP port.", AllowMultipleArgumentsPerToken = true };
        var lookup = new Option<string[]>("--lookup") { Description = "RID whose peers to look up and print (repeatable).", AllowMultipleArgumentsPerToken = true };
        var once = new Option<bool>("--once") { Description = "Exit after the announces and lookups instead of serving until Ctrl+C." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line instead of text." };
        var command = new Command("dht", "Run a BitTorrent Mainline DHT node (BEP 5) keyed by RID: join, announce, look up peers, and serve others until Ctrl+C. Announces are repeated every 15 minutes while serving.")
        {
            port, bind, bootstrap, announce, lookup, once, json,
        };

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var asJson = parseResult.GetValue(json);
            try
            {
                var announces = (parseResult.GetValue(announce) ?? []).Select(ParseAnnounce).ToList();
                var lookups = (parseResult.GetValue(lookup) ?? []).Select(ParseRid).ToList();
                var bootstraps = new List<IPEndPoint>();
                foreach (var text in parseResult.GetValue(bootstrap) ?? [])
                {
                    bootstraps.Add(await ResolveAsync(text, cancellationToken));
                }

                if (!IPAddress.TryParse(parseResult.GetValue(bind), out var address) || address.AddressFamily != AddressFamily.InterNetwork)
                {
                    throw new FormatException($"--bind '{parseResult.GetValue(bind)}' is not an IPv4 address.");
                }

                await using var service = DhtService.Start(new DhtServiceOptions { Bind = new IPEndPoint(address, parseResult.GetValue(port)) });
                Report(asJson, new { @event = "listening", endpoint = service.LocalEndPoint.ToString(), id = service.Id.ToHex() }, $"listening on {service.LocalEndPoint} as node {service.Id.ToHex()}");
                if (bootstraps.Count > 0)
                {
                    var nodes = await service.BootstrapAsync(bootstraps, cancellationToken);
                    Report(asJson, new { @event = "bootstrap", nodes }, $"joined: {nodes} nodes in the routing table");
                }

                await AnnounceAllAsync(service, announces, asJson, cancellationToken);
                foreach (var rid in lookups)
                {
                    var peers = await service.GetPeersAsync(rid, cancellationToken);
                    Report(asJson, new { @event = "peers", rid = rid.ToHex(), peers = peers.Select(p => p.ToString()).ToArray() }, $"{rid.ToHex()}: {peers.Count} peers {string.Join(' ', peers)}");
                }

                if (parseResult.GetValue(once))
                {
                    return 0;
                }

                while (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(ReannounceInterval, cancellationToken);
                    await AnnounceAllAsync(service, announces, asJson, cancellationToken);
                    var status = service.GetStatus();
                    Report(asJson, new { @event = "status", nodes = status.RoutingTableNodes, stored_info_hashes = status.StoredInfoHashes, received = status.DatagramsReceived, answered = status.QueriesAnswered, dropped_malformed = status.DroppedMalformed, dropped_rate_limited = status.DroppedRateLimited }, $"{status.RoutingTableNodes} nodes, {status.StoredInfoHashes} info-hashes stored, {status.QueriesAnswered} queries answered");
                }

                return 0;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            catch (Exception e) when (e is FormatException or SocketException or TimeoutException)
            {
                Console.Error.WriteLine($"shoal dht: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task AnnounceAllAsync(DhtService service, List<(Rid Rid, int Port)> announces, bool asJson, CancellationToken cancellationToken)
    {
        foreach (var (rid, port) in announces)
        {
            var acks = await service.AnnounceAsync(rid, port, cancellationToken);
            Report(asJson, new { @event = "announce", rid = rid.ToHex(), port, nodes = acks }, $"announced {rid.ToHex()} port {port} to {acks} nodes");
        }
    }

    private static void Report(bool asJson, object data, string text) => Console.WriteLine(asJson ? JsonSerializer.Serialize(data) : text);

    private static Rid ParseRid(string text) =>
        Rid.TryParse(text, out var rid, out var error) ? rid : throw new FormatException(error);

    private static (Rid, int) ParseAnnounce(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 0 or > ushort.MaxValue)
        {
            throw new FormatException($"--announce '{text}' is not RID:PORT with a port from 0 to 65535.");
        }

        return (ParseRid(text[..colon]), port);
    }

    private static async Task<IPEndPoint> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > ushort.MaxValue)
        {
            throw new FormatException($"--bootstrap '{text}' is not HOST:PORT.");
        }

        var host = text[..colon];
        if (IPAddress.TryParse(host, out var literal))
        {
            return new IPEndPoint(literal, port);
        }

        var addresses = await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, cancellationToken);
        return addresses.Length > 0
            ? new IPEndPoint(addresses[0], port)
            : throw new FormatException($"--bootstrap host '{host}' has no IPv4 address.");
    }
}
