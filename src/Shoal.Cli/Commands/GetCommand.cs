using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shoal.Core.Identity;
using Shoal.Node.Downloads;
using Shoal.Node.Fetching;
using Shoal.Node.Storage;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal get URL -o FILE`: download a plain file through the swarm (peers and the origin), then seed it.</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "The file's origin URL (http or https); the origin must support Range requests." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the file.", Required = true };
        var tracker = new Option<Uri?>("--tracker")
        {
            CustomParser = CliValues.AbsoluteUri,
            Description = "The tracker: its HTTP API (http://HOST:PORT) maps the URL, has the file hashed once into a signed manifest and finds peers; a BEP 15 tracker (udp://HOST:PORT) only finds peers, with --tracker-http for the rest. Without a tracker the file comes from the origin only.",
        };
        var trackerHttp = new Option<Uri?>("--tracker-http") { CustomParser = CliValues.AbsoluteUri, Description = "The tracker's HTTP API, when --tracker is a udp:// tracker." };
        var uploadLimit = new Option<double?>("--upload-limit") { Description = "Upload limit towards peers in Mbit/s." };
        var seedFor = new Option<double>("--seed-for") { Description = "Seconds to keep serving the file to peers after the download (0: stop at once).", DefaultValueFactory = _ => 0 };
        var port = new Option<int>("--port") { Description = "UDP port for the swarm (0: any).", DefaultValueFactory = _ => 0 };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Keep the pieces fetched from the origin in this disk cache too (a re-run resumes from it)." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object at the end (no progress bar)." };
        var log = new Option<bool>("--log") { Description = "Log the swarm's work (joins, fallbacks to the origin) on stderr." };
        var command = new Command("get", "Download a plain file by its origin URL through the swarm, with a progress bar; pieces come from peers and, when no peer has them, from the origin, and every piece is checked against the mapping service's signed manifest. With --seed-for, keep serving it to peers afterwards.")
        {
            url, output, tracker, trackerHttp, uploadLimit, seedFor, port, cache, json, log,
        };
        command.SetAction(async (parseResult, invocationToken) =>
        {
            using var shutdown = new ShutdownSignal(invocationToken);
            var cancellationToken = shutdown.Token;
            var text = parseResult.GetValue(url)!;
            if (!OriginUrl.TryCanonicalize(text, out _, out var error) || !Uri.TryCreate(text, UriKind.Absolute, out var source))
            {
                Console.Error.WriteLine($"shoal get: {(error.Length > 0 ? error : $"'{text}' is not a URL")}");
                return 2;
            }

            var trackerUri = parseResult.GetValue(tracker);
            var apiUri = parseResult.GetValue(trackerHttp);
            if (trackerUri is not null && trackerUri.Scheme is not ("http" or "https" or "udp"))
            {
                Console.Error.WriteLine($"shoal get: --tracker must be http://HOST:PORT (the HTTP API) or udp://HOST:PORT (BEP 15), not {trackerUri}");
                return 2;
            }

            if (apiUri is not null && apiUri.Scheme is not ("http" or "https"))
            {
                Console.Error.WriteLine($"shoal get: --tracker-http must be an http(s) URL, not {apiUri}");
                return 2;
            }

            if (trackerUri is { Scheme: "udp" } && apiUri is null)
            {
                Console.Error.WriteLine("shoal get: a udp:// tracker only finds peers; give --tracker-http too, for the URL mapping and the signed manifest");
                return 2;
            }

            apiUri ??= trackerUri is { Scheme: "http" or "https" } ? trackerUri : null;

            var seconds = parseResult.GetValue(seedFor);
            var udpPort = parseResult.GetValue(port);
            if (seconds < 0 || udpPort is < 0 or > 65535 || parseResult.GetValue(uploadLimit) is <= 0)
            {
                Console.Error.WriteLine("shoal get: --seed-for must be at least 0, --port 0..65535, --upload-limit more than 0");
                return 2;
            }

            var file = parseResult.GetValue(output)!;
            var asJson = parseResult.GetValue(json);
            var cacheDir = parseResult.GetValue(cache);
            // Logs go to stderr only when asked: they would tear the progress bar.
            using var loggers = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(parseResult.GetValue(log) ? LogLevel.Information : LogLevel.None));

            var options = new FileDownloadOptions
            {
                Url = source,
                TrackerHttp = apiUri,
                UdpTracker = trackerUri is { Scheme: "udp" } ? trackerUri : null,
                UdpBind = new IPEndPoint(IPAddress.Any, udpPort),
                UploadBytesPerSecond = parseResult.GetValue(uploadLimit) * 1_000_000 / 8,
                Store = new ContentStoreOptions
                {
                    MemoryCapacityBytes = 64L * 1024 * 1024,
                    Disk = cacheDir is null ? null : new DiskCacheOptions { Directory = cacheDir.FullName, CapacityBytes = long.MaxValue / 4 },
                },
            };

            var clock = Stopwatch.StartNew();
            FileDownload download;
            try
            {
                download = await FileDownload.StartAsync(options, TimeProvider.System, loggers, cancellationToken);
            }
            catch (OriginException e)
            {
                Console.Error.WriteLine($"shoal get: {e.Message}");
                return 1;
            }
            catch (Exception e) when (e is Shoal.Tracker.Client.TrackerException or System.Net.Sockets.SocketException or ArgumentException)
            {
                Console.Error.WriteLine($"shoal get: the tracker {trackerUri}: {OriginCommand.OneLine(e)}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("shoal get: interrupted");
                return 130;
            }

            await using (download)
            {
                if (apiUri is not null && download.Session is null)
                {
                    Console.Error.WriteLine($"shoal get: the tracker at {apiUri} could not map the file; downloading from the origin only");
                }

                var partial = file.FullName + ".part";
                try
                {
                    Directory.CreateDirectory(file.DirectoryName!);
                    await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    {
                        if (asJson || Console.IsOutputRedirected)
                        {
                            await download.DownloadToAsync(target, _ => { }, cancellationToken);
                        }
                        else
                        {
                            await AnsiConsole.Progress()
                                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                                .StartAsync(async context =>
                                {
                                    var task = context.AddTask(Path.GetFileName(file.FullName), maxValue: download.Length);
                                    await download.DownloadToAsync(target, n => task.Increment(n), cancellationToken);
                                });
                        }

                        await target.FlushAsync(cancellationToken);
                        target.Flush(flushToDisk: true);
                    }

                    File.Move(partial, file.FullName, overwrite: true);
                }
                catch (OriginException e)
                {
                    Console.Error.WriteLine($"shoal get: {e.Message}");
                    return 1;
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine("shoal get: interrupted; the pieces fetched so far stay in the cache");
                    return 130;
                }
                catch (IOException e)
                {
                    Console.Error.WriteLine($"shoal get: could not write {file.FullName}: {OriginCommand.OneLine(e)}");
                    return 1;
                }

                var elapsed = clock.Elapsed.TotalSeconds;
                var done = download.Totals;
                var summary = string.Create(CultureInfo.InvariantCulture,
                    $"shoal get: {file.FullName}: {download.Length} bytes in {elapsed:0.0} s ({done.FromPeers} from peers, {done.FromOrigin} from the origin, {done.FromStore} from the cache)");
                (asJson ? Console.Error : Console.Out).WriteLine(summary);

                var seeded = 0.0;
                if (seconds > 0)
                {
                    seeded = await SeedAsync(download, file.FullName, TimeSpan.FromSeconds(seconds), asJson, cancellationToken);
                }

                if (asJson)
                {
                    var totals = download.Totals;
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["url"] = source.AbsoluteUri,
                        ["file"] = file.FullName,
                        ["bytes"] = download.Length,
                        ["seconds"] = Math.Round(elapsed, 3),
                        ["bytes_from_origin"] = done.FromOrigin,
                        ["bytes_from_peers"] = done.FromPeers,
                        ["bytes_from_store"] = done.FromStore,
                        ["bytes_uploaded"] = totals.Uploaded,
                        ["seeded_s"] = Math.Round(seeded, 3),
                    }));
                }

                return 0;
            }
        });
        return command;
    }

    /// <summary>Serves the finished file to peers for up to <paramref name="limit"/> (Ctrl-C ends it early); returns the seconds seeded.</summary>
    private static async Task<double> SeedAsync(FileDownload download, string path, TimeSpan limit, bool asJson, CancellationToken cancellationToken)
    {
        var report = asJson ? Console.Error : Console.Out;
        if (download.Session is null)
        {
            report.WriteLine("shoal get: not seeding: there is no swarm for this file (give --tracker)");
            return 0;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var held = await download.PrepareSeedingAsync(path, limit, cancellationToken);
            var slices = download.Session.Manifest?.Segments.Count ?? 0;
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"shoal get: seeding {held} of {slices} slices on UDP port {download.Session.LocalEndPoint.Port} for {limit.TotalSeconds:0} s (Ctrl-C stops)"));
            var left = limit - clock.Elapsed;
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }

        report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shoal get: stopped seeding; {download.Totals.Uploaded} bytes served to peers"));
        return clock.Elapsed.TotalSeconds;
    }
}
