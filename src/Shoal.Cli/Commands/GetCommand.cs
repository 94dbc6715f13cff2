using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Shoal.Core.Identity;
using Shoal.Node.Fetching;
using Shoal.Node.Gateway;
using Shoal.Node.Storage;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal get URL -o FILE`: download a plain file (through the swarm once it is there, else from the origin).</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "The file's origin URL (http or https)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the file.", Required = true };
        var tracker = new Option<Uri?>("--tracker") { CustomParser = CliValues.AbsoluteUri, Description = "The tracker to find peers with." };
        var uploadLimit = new Option<double?>("--upload-limit") { Description = "Upload limit towards peers in Mbit/s while seeding." };
        var seedFor = new Option<double>("--seed-for") { Description = "Seconds to keep serving the file to peers after the download.", DefaultValueFactory = _ => 0 };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Keep the file's verified pieces in this disk cache too (a re-run resumes from it)." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object (no progress bar)." };
        var command = new Command("get", "Download a plain file by its origin URL, with a progress bar, then keep serving it to peers for --seed-for seconds.")
        {
            url, output, tracker, uploadLimit, seedFor, cache, json,
        };
        command.SetAction(async (parseResult, invocationToken) =>
        {
            using var shutdown = new ShutdownSignal(invocationToken);
            var cancellationToken = shutdown.Token;
            var text = parseResult.GetValue(url)!;
            if (!OriginUrl.TryCanonicalize(text, out var canonical, out var error) || !Uri.TryCreate(text, UriKind.Absolute, out var source))
            {
                Console.Error.WriteLine($"shoal get: {(error.Length > 0 ? error : $"'{text}' is not a URL")}");
                return 2;
            }

            var file = parseResult.GetValue(output)!;
            var asJson = parseResult.GetValue(json);
            var cacheDir = parseResult.GetValue(cache);
            var time = TimeProvider.System;
            using var origin = new OriginClient(new OriginClientOptions(), time);
            await using var store = new ContentStore(new ContentStoreOptions
            {
                MemoryCapacityBytes = 64L * 1024 * 1024,
                Disk = cacheDir is null ? null : new DiskCacheOptions { Directory = cacheDir.FullName, CapacityBytes = long.MaxValue / 4 },
            }, time);
            var metrics = new NodeMetrics();
            var segments = new DirectSegmentSource(origin, store, metrics);
            var clock = Stopwatch.StartNew();
            long length;
            try
            {
                var probe = await origin.ProbeAsync(source, cancellationToken);
                if (probe.Length is not { } known || !probe.SupportsRanges)
                {
                    Console.Error.WriteLine($"shoal get: {source} does not say its length or does not support Range requests, so it cannot be fetched in pieces");
                    return 1;
                }

                length = known;
                var partial = file.FullName + ".part";
                Directory.CreateDirectory(file.DirectoryName!);
                await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    async Task Download(Action<long> progress)
                    {
                        var resource = Rid.ForCanonicalUrl(canonical);
                        var slice = GatewayOptions.DefaultFileSliceBytes;
                        for (long sequence = 0; sequence * slice < length; sequence++)
                        {
                            var range = new ByteRange(sequence * slice, Math.Min(length, (sequence + 1) * slice) - 1);
                            await foreach (var piece in segments.ReadAsync(new SegmentRequest(new SegmentKey(resource, sequence), source, range, Live: false), cancellationToken))
                            {
                                await target.WriteAsync(piece, cancellationToken);
                                progress(piece.Length);
                            }
                        }
                    }

                    if (asJson || Console.IsOutputRedirected)
                    {
                        await Download(_ => { });
                    }
                    else
                    {
                        await AnsiConsole.Progress()
                            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                            .StartAsync(async context =>
                            {
                                var task = context.AddTask(Path.GetFileName(file.FullName), maxValue: length);
                                await Download(n => task.Increment(n));
                            });
                    }

                    await target.FlushAsync(cancellationToken);
                    target.Flush(flushToDisk: true);
                }

                File.Move(partial, file.FullName, overwrite: true);
                await store.FlushAsync(cancellationToken);
            }
            catch (OriginException e)
            {
                Console.Error.WriteLine($"shoal get: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("shoal get: interrupted; the pieces fetched so far stay in the cache");
                await store.FlushAsync(CancellationToken.None);
                return 130;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"shoal get: could not write {file.FullName}: {OriginCommand.OneLine(e)}");
                return 1;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["url"] = source.AbsoluteUri,
                    ["file"] = file.FullName,
                    ["bytes"] = length,
                    ["seconds"] = Math.Round(seconds, 3),
                    ["bytes_from_origin"] = metrics.BytesFromOrigin,
                    ["bytes_from_peers"] = metrics.BytesFromPeers,
                    ["bytes_from_store"] = metrics.BytesFromStore,
                }));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"shoal get: {file.FullName}: {length} bytes in {seconds:0.0} s ({metrics.BytesFromOrigin} from the origin, {metrics.BytesFromPeers} from peers, {metrics.BytesFromStore} from the cache)"));
            }

            if (parseResult.GetValue(seedFor) > 0)
            {
                Console.Error.WriteLine("shoal get: not seeding: the swarm is not part of this build yet, so there are no peers to serve");
            }

            return 0;
        });
        return command;
    }
}
