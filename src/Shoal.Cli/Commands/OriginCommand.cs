using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shoal.Node.Origin;

namespace Shoal.Cli.Commands;

/// <summary>`shoal origin DIR`: the small HTTP origin of demos and tests.</summary>
internal static class OriginCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "The folder to serve (a VOD title, files); with --live also the HLS segments to replay." };
        var port = new Option<int>("--port", "-p") { Description = "TCP port to listen on (0 picks a free one and prints it).", DefaultValueFactory = _ => 8000 };
        var host = new Option<string>("--host") { Description = "IP address to listen on.", DefaultValueFactory = _ => OriginServerOptions.DefaultHost };
        var rateLimit = new Option<double?>("--rate-limit") { Description = "Limit the whole server to this many Mbit/s (all responses together), like a small CDN edge." };
        var live = new Option<bool>("--live") { Description = "Also replay DIR's HLS segments as an endless live channel at /live/index.m3u8 (sliding window, discontinuity at each loop)." };
        var liveFlv = new Option<FileInfo?>("--live-flv") { Description = "Also replay this FLV file as an endless HTTP-FLV live stream at /live/stream.flv (FLV header and sequence headers first, then from the latest keyframe)." };
        var window = new Option<int>("--window") { Description = "Segments listed in the live playlist.", DefaultValueFactory = _ => LiveChannelOptions.DefaultWindowSegments };
        var json = new Option<bool>("--json") { Description = "At exit, print the bytes served as one JSON object instead of a sentence." };
        var verbose = new Option<bool>("--log") { Description = "Log every request." };
        var command = new Command("origin", "Serve a folder over HTTP as an origin for demos and tests: files with Range requests, an optional server-wide rate limit, an optional replayed live HLS channel, and the bytes served at /stats.")
        {
            directory, port, host, rateLimit, live, liveFlv, window, json, verbose,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var dir = parseResult.GetValue(directory)!;
            var limit = parseResult.GetValue(rateLimit);
            if (limit is <= 0)
            {
                Console.Error.WriteLine("shoal origin: --rate-limit must be a positive number of Mbit/s");
                return 2;
            }

            var options = new OriginServerOptions
            {
                Directory = dir.FullName,
                Host = parseResult.GetValue(host)!,
                Port = parseResult.GetValue(port),
                RateLimitBitsPerSecond = limit * 1_000_000,
                Live = parseResult.GetValue(live),
                LiveFlvFile = parseResult.GetValue(liveFlv)?.FullName,
                LiveChannel = new LiveChannelOptions { WindowSegments = Math.Max(1, parseResult.GetValue(window)) },
                LogRequests = parseResult.GetValue(verbose),
            };

            OriginServer server;
            try
            {
                server = await OriginServer.StartAsync(options, TimeProvider.System, cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or DirectoryNotFoundException or System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine($"shoal origin: {OneLine(e)}");
                return 1;
            }

            await using (server)
            {
                Console.WriteLine($"shoal origin: serving {dir.FullName} at {server.BaseUri}");
                var vodPlaylist = Directory.EnumerateFiles(dir.FullName, "*.m3u8").Order(StringComparer.Ordinal).FirstOrDefault();
                if (vodPlaylist is not null)
                {
                    Console.WriteLine($"  VOD:   {new Uri(server.BaseUri, Path.GetFileName(vodPlaylist))}");
                }

                if (server.Live is { } channel)
                {
                    Console.WriteLine($"  live:  {server.LivePlaylistUri} ({channel.SourceSegmentCount} segments looped, target duration {channel.TargetDurationSeconds} s)");
                }

                if (options.LiveFlvFile is not null)
                {
                    Console.WriteLine($"  FLV:   {new Uri(server.LiveBaseUri, "stream.flv")} (HTTP-FLV live, looped)");
                }

                Console.WriteLine($"  stats: {new Uri(server.BaseUri, "stats")}{(limit is { } l ? string.Create(CultureInfo.InvariantCulture, $"   rate limit {l} Mbit/s") : string.Empty)}");
                Console.WriteLine("  Ctrl-C to stop.");
                try
                {
                    using var shutdown = new ShutdownSignal(cancellationToken);
                    await Task.Delay(Timeout.Infinite, shutdown.Token);
                }
                catch (OperationCanceledException)
                {
                }

                await server.StopAsync(CancellationToken.None);
                var stats = server.Stats;
                if (parseResult.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, long>
                    {
                        ["bytes_served"] = stats.BytesServed,
                        ["requests"] = stats.Requests,
                        ["live_segment_bytes"] = stats.LiveSegmentBytes,
                    }));
                }
                else
                {
                    Console.WriteLine($"shoal origin: stopped after serving {stats.BytesServed} bytes in {stats.Requests} requests");
                }
            }

            return 0;
        });
        return command;
    }

    internal static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");
}
