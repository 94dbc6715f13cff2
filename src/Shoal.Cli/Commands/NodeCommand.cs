using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Shoal.Node;
using Shoal.Node.Gateway;
using Shoal.Node.Storage;

namespace Shoal.Cli.Commands;

/// <summary>`shoal node`: a viewer's (or with --super an edge operator's) node with its player gateway.</summary>
internal static class NodeCommand
{
    private static readonly TimeSpan FlushOnExitTimeout = TimeSpan.FromSeconds(5);

    /// <summary>DESIGN.md: lag buys the swarm time in the peer window; the swarm engine's own default position.</summary>
    private const double DefaultSwarmLagSeconds = 10;

    public static Command Create()
    {
        var tracker = new Option<Uri?>("--tracker") { CustomParser = CliValues.AbsoluteUri, Description = "Where swarms find peers: a BEP 15 tracker (udp://HOST:PORT, Shoal's or any standard UDP tracker; URL mappings and manifests still come from --tracker-http), or the tracker's HTTP API (http://HOST:PORT) when --tracker-http is not given." };
        var trackerHttp = new Option<Uri?>("--tracker-http") { CustomParser = CliValues.AbsoluteUri, Description = "The tracker's HTTP API (URL to RID mapping, signed manifests, super-peer registry)." };
        var gateway = new Option<string>("--gateway") { Description = "HOST:PORT of the player gateway; keep it on 127.0.0.1 unless players on other machines must reach it.", DefaultValueFactory = _ => $"{GatewayOptions.DefaultHost}:{GatewayOptions.DefaultPort}" };
        var port = new Option<int>("--port") { Description = "UDP port for the swarm (0: any).", DefaultValueFactory = _ => 0 };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Folder of the disk cache for VOD titles and files (omit for memory only)." };
        var cacheSize = new Option<string>("--cache-size") { Description = "Size bound of the disk cache, bytes or with K/M/G (e.g. 2G).", DefaultValueFactory = _ => "1G" };
        var writeBudget = new Option<string?>("--write-budget") { Description = "Most bytes the cache may write per hour, to spare flash storage (e.g. 500M); unlimited when omitted." };
        var memory = new Option<string>("--memory") { Description = "Memory for pieces (the live window and hot VOD), bytes or with K/M/G.", DefaultValueFactory = _ => "256M" };
        var uploadLimit = new Option<double?>("--upload-limit") { Description = "Upload limit towards peers in Mbit/s." };
        var super = new Option<bool>("--super") { Description = "Run as a super peer: serve more and accept content pushed ahead of demand." };
        var lag = new Option<double?>("--lag") { Description = $"Seconds the gateway holds a live playlist's edge back from the origin's, giving the swarm time (default {DefaultSwarmLagSeconds} s with --tracker-http, else 0)." };
        var name = new Option<string?>("--name") { Description = "A name for the dashboard and logs." };
        var verbose = new Option<bool>("--log") { Description = "Log every gateway request." };
        var command = new Command("node", "Run a node: a player gateway on localhost (any origin URL at http://GATEWAY/o/<percent-encoded URL>) backed by the node's store, with /ui, /metrics and /api/status.")
        {
            tracker, trackerHttp, gateway, port, cache, cacheSize, writeBudget, memory, uploadLimit, super, lag, name, verbose,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!CliValues.TryParseEndpoint(parseResult.GetValue(gateway)!, out var host, out var gatewayPort, out var error)
                || !CliValues.TryParseBytes(parseResult.GetValue(cacheSize)!, out var cacheBytes, out error)
                || !CliValues.TryParseBytes(parseResult.GetValue(memory)!, out var memoryBytes, out error))
            {
                Console.Error.WriteLine($"shoal node: {error}");
                return 2;
            }

            long? budget = null;
            if (parseResult.GetValue(writeBudget) is { } budgetText)
            {
                if (!CliValues.TryParseBytes(budgetText, out var b, out error) || b == 0)
                {
                    Console.Error.WriteLine($"shoal node: --write-budget: {(error.Length > 0 ? error : "must be more than 0")}");
                    return 2;
                }

                budget = b;
            }

            var trackerUri = parseResult.GetValue(tracker);
            var trackerHttpUri = parseResult.GetValue(trackerHttp);
            if (trackerHttpUri is not null && trackerHttpUri.Scheme is not ("http" or "https"))
            {
                Console.Error.WriteLine($"shoal node: --tracker-http must be an http(s) URL, not {trackerHttpUri}");
                return 2;
            }

            if (trackerUri is not null && trackerUri.Scheme is not ("udp" or "http" or "https"))
            {
                Console.Error.WriteLine($"shoal node: --tracker must be udp://HOST:PORT (BEP 15) or the HTTP API's http://HOST:PORT, not {trackerUri}");
                return 2;
            }

            if (trackerUri is { Scheme: "udp" } && trackerHttpUri is null)
            {
                Console.Error.WriteLine("shoal node: a udp:// tracker only finds peers; give --tracker-http too, for the URL mappings and signed manifests");
                return 2;
            }

            trackerHttpUri ??= trackerUri is { Scheme: "http" or "https" } ? trackerUri : null;

            var udpPort = parseResult.GetValue(port);
            var liveLag = parseResult.GetValue(lag) ?? (trackerHttpUri is null ? 0 : DefaultSwarmLagSeconds);
            if (udpPort is < 0 or > 65535 || liveLag < 0 || parseResult.GetValue(uploadLimit) is <= 0)
            {
                Console.Error.WriteLine("shoal node: --port must be 0..65535, --lag at least 0, --upload-limit more than 0");
                return 2;
            }

            var cacheDir = parseResult.GetValue(cache);
            var options = new NodeOptions
            {
                Name = parseResult.GetValue(name),
                Gateway = new GatewayOptions { Host = host, Port = gatewayPort, LiveLag = TimeSpan.FromSeconds(liveLag), LogRequests = parseResult.GetValue(verbose) },
                Store = new ContentStoreOptions
                {
                    MemoryCapacityBytes = memoryBytes,
                    Disk = cacheDir is null ? null : new DiskCacheOptions { Directory = cacheDir.FullName, CapacityBytes = cacheBytes, WriteBudgetBytesPerHour = budget },
                },
                UdpPort = udpPort,
                Tracker = trackerUri,
                TrackerHttp = trackerHttpUri,
                UploadLimitBitsPerSecond = parseResult.GetValue(uploadLimit) * 1_000_000,
                SuperPeer = parseResult.GetValue(super),
            };

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            ShoalNode node;
            try
            {
                node = await ShoalNode.StartAsync(options, TimeProvider.System, loggers, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.Net.Sockets.SocketException or Shoal.Tracker.Client.TrackerException)
            {
                Console.Error.WriteLine($"shoal node: could not start: {OriginCommand.OneLine(e)}");
                return 1;
            }

            // A parent (shoal demo) may end us with Environment.Exit: flush the cache on the way out all the same.
            void FlushOnExit(object? sender, EventArgs args) => node.FlushAsync().Wait(FlushOnExitTimeout);
            AppDomain.CurrentDomain.ProcessExit += FlushOnExit;
            try
            {
                var gatewayBase = node.GatewayUri.AbsoluteUri.TrimEnd('/');
                Console.WriteLine($"shoal node: gateway {node.GatewayUri}  (dashboard {gatewayBase}/ui, metrics {gatewayBase}/metrics, status {gatewayBase}/api/status)");
                Console.WriteLine($"  play any origin URL as {gatewayBase}/o/<percent-encoded origin URL>, for example");
                Console.WriteLine($"  {GatewayUrls.Example(gatewayBase, "http://cdn.example/live/index.m3u8")}");
                if (node.Store.Disk is { } disk)
                {
                    var report = disk.OpenReport;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  cache: {cacheDir!.FullName}, {report.PiecesKept} pieces in {report.Segments} segments kept, {report.RecordsDiscarded} torn records discarded, bound {cacheBytes} bytes{(budget is { } w ? $", write budget {w} bytes/hour" : string.Empty)}"));
                }

                Console.WriteLine(options.TrackerHttp is null
                    ? $"  segments: {node.SegmentSourceName}; no swarm (give --tracker-http to join swarms through the tracker's mapping service)"
                    : $"  segments: {node.SegmentSourceName}; swarms on UDP port {udpPort} (first swarm), joined when a player asks for a playlist");
                Console.WriteLine("  Ctrl-C to stop.");
                try
                {
                    using var shutdown = new ShutdownSignal(cancellationToken);
                    await Task.Delay(Timeout.Infinite, shutdown.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            finally
            {
                await node.DisposeAsync();
                AppDomain.CurrentDomain.ProcessExit -= FlushOnExit;
            }

            Console.WriteLine($"shoal node: stopped; {node.Metrics.BytesToPlayers} bytes delivered to players, {node.Metrics.BytesFromOrigin} from the origin; cache flushed");
            return 0;
        });
        return command;
    }
}
