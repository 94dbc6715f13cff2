using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shoal.Core.Qos;
using Shoal.Tracker.Bench;
using Shoal.Tracker.State;
using Shoal.Tracker.SuperPeers;
using Shoal.Tracker.Udp;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>
/// `shoal bench tracker`: announces per second and latency of Shoal's BEP 15 tracker under a loopback load, and in
/// the same run of Debian's opentracker (the baseline) when it is installed.
/// </summary>
internal static class BenchTrackerCommand
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (announces_per_s, reference_announces_per_s, ratio_to_reference, latency_ms) instead of a table." };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per tracker (after a one-second warm-up).", DefaultValueFactory = _ => 5 };
        var clients = new Option<int>("--clients") { Description = "Client sockets announcing in parallel, one request in flight each.", DefaultValueFactory = _ => 8 };
        var swarms = new Option<int>("--swarms") { Description = "Swarms the announces spread over.", DefaultValueFactory = _ => 20 };
        var max = new Option<long>("--max-announces") { Description = "Stop each round after this many announces.", DefaultValueFactory = _ => 10_000_000 };
        var rounds = new Option<int>("--rounds") { Description = "The measured seconds are cut into this many rounds that alternate between the trackers, so a change in machine load hits both alike.", DefaultValueFactory = _ => 5 };
        var command = new Command("tracker", "Load Shoal's UDP tracker on loopback (connect once, then announce in a loop) and report announces/s and latency p50/p99, with opentracker measured in the same run as the baseline when installed.")
        {
            json, seconds, clients, swarms, max, rounds,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var duration = parseResult.GetValue(seconds);
            var load = new AnnounceLoadOptions
            {
                Duration = TimeSpan.FromSeconds(duration),
                Clients = parseResult.GetValue(clients),
                Swarms = parseResult.GetValue(swarms),
                MaxAnnounces = parseResult.GetValue(max),
            };
            if (duration is <= 0 or > 3600 || load.Clients is < 1 or > 256 || load.Swarms is < 1 or > 10_000 || load.MaxAnnounces < 1 || parseResult.GetValue(rounds) is < 1 or > 1000)
            {
                Console.Error.WriteLine("shoal bench tracker: --seconds is in (0, 3600], --clients in [1, 256], --swarms in [1, 10000], --rounds in [1, 1000], --max-announces at least 1.");
                return 2;
            }

            var asJson = parseResult.GetValue(json);
            try
            {
                var (shoal, reference) = await MeasureAsync(load, parseResult.GetValue(rounds), asJson, cancellationToken);
                if (shoal.Announces == 0)
                {
                    Console.Error.WriteLine("shoal bench tracker: Shoal's tracker answered no announce.");
                    return 1;
                }

                Report(load, shoal, reference, asJson);
                return 0;
            }
            catch (Exception e) when (e is TimeoutException or SocketException or InvalidOperationException)
            {
                Console.Error.WriteLine($"shoal bench tracker: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Runs both trackers side by side and alternates the load between them in short rounds, so a machine whose
    /// load changes during the run (other processes) slows both alike and the ratio stays meaningful.
    /// </summary>
    private static async Task<(AnnounceLoadResult Shoal, AnnounceLoadResult? Reference)> MeasureAsync(AnnounceLoadOptions load, int rounds, bool quiet, CancellationToken cancellationToken)
    {
        var options = new UdpTrackerOptions();
        var time = TimeProvider.System;
        var store = new InMemoryTrackerStore(options.PeerLifetime);
        var registry = new SuperPeerRegistry(store, time, new SuperPeerOptions());
        var handler = new Bep15RequestHandler(store, new ConnectionIdIssuer(ConnectionIdIssuer.NewSecret(), time, options), registry, time, options);
        await using var server = UdpTrackerServer.Start(new IPEndPoint(IPAddress.Loopback, 0), handler, store, time, options);
        await using var opentracker = await Opentracker.StartAsync(load.Swarms, cancellationToken);
        Progress(quiet, $"Shoal tracker on udp://{server.LocalEndPoint}" + (opentracker is null
            ? "; opentracker is not installed (apt-get install opentracker): no baseline in this run."
            : $"; opentracker on udp://{opentracker.EndPoint}."));
        var slice = load with { Duration = load.Duration / rounds };
        await AnnounceLoadGenerator.RunAsync(server.LocalEndPoint, load with { Duration = WarmUp }, cancellationToken);
        if (opentracker is not null)
        {
            await AnnounceLoadGenerator.RunAsync(opentracker.EndPoint, load with { Duration = WarmUp }, cancellationToken);
        }

        var shoal = AnnounceLoadResult.Empty;
        var reference = opentracker is null ? null : AnnounceLoadResult.Empty;
        for (var round = 1; round <= rounds; round++)
        {
            Progress(quiet, $"round {round}/{rounds}: {slice.Duration.TotalSeconds:0.##} s each");
            shoal = shoal.Plus(await AnnounceLoadGenerator.RunAsync(server.LocalEndPoint, slice, cancellationToken));
            if (opentracker is not null)
            {
                reference = reference!.Plus(await AnnounceLoadGenerator.RunAsync(opentracker.EndPoint, slice, cancellationToken));
            }
        }

        return (shoal, reference);
    }

    /// <summary>Debian's opentracker on a free loopback port, with the benchmark's swarms on its whitelist.</summary>
    private sealed class Opentracker : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _whitelist;

        private Opentracker(Process process, string whitelist, IPEndPoint endPoint)
        {
            _process = process;
            _whitelist = whitelist;
            EndPoint = endPoint;
        }

        public IPEndPoint EndPoint { get; }

        public static async Task<Opentracker?> StartAsync(int swarms, CancellationToken cancellationToken)
        {
            var path = new[] { "/usr/bin/opentracker", "/usr/sbin/opentracker", "/usr/local/bin/opentracker" }.FirstOrDefault(File.Exists);
            if (path is null)
            {
                return null;
            }

            // Debian builds opentracker in whitelist mode: list the benchmark's swarms.
            var whitelist = Path.Combine(Path.GetTempPath(), $"shoal-bench-opentracker-{Environment.ProcessId}.txt");
            await File.WriteAllLinesAsync(whitelist, AnnounceLoadGenerator.SwarmRids(swarms).Select(r => r.ToHex()), cancellationToken);
            var port = FreeUdpPort();
            var text = port.ToString(CultureInfo.InvariantCulture);
            var info = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-i", "127.0.0.1", "-p", text, "-P", text, "-w", whitelist })
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("opentracker did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new Opentracker(process, whitelist, new IPEndPoint(IPAddress.Loopback, port));
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            _process.Dispose();
            File.Delete(_whitelist);
        }
    }

    private static void Report(AnnounceLoadOptions load, AnnounceLoadResult shoal, AnnounceLoadResult? reference, bool asJson)
    {
        double? ratio = reference is { AnnouncesPerSecond: > 0 } r ? shoal.AnnouncesPerSecond / r.AnnouncesPerSecond : null;
        if (asJson)
        {
            var output = new JsonObject
            {
                ["announces_per_s"] = Math.Round(shoal.AnnouncesPerSecond, 1),
                ["latency_ms"] = Latency(shoal.LatencyMs),
                ["lost"] = shoal.Lost,
                ["peers_per_answer"] = shoal.Announces > 0 ? Math.Round((double)shoal.PeersReturned / shoal.Announces, 1) : 0,
                ["seconds"] = load.Duration.TotalSeconds,
                ["clients"] = load.Clients,
                ["swarms"] = load.Swarms,
            };
            if (reference is not null)
            {
                output["reference"] = "opentracker";
                output["reference_announces_per_s"] = Math.Round(reference.AnnouncesPerSecond, 1);
                output["reference_latency_ms"] = Latency(reference.LatencyMs);
                output["reference_lost"] = reference.Lost;
                output["ratio_to_reference"] = ratio is { } x ? Math.Round(x, 3) : null;
            }

            Console.WriteLine(output.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        var table = new Table().AddColumns("tracker", "announces/s", "p50 ms", "p99 ms", "lost", "peers/answer");
        table.AddRow(Row("Shoal", shoal));
        if (reference is not null)
        {
            table.AddRow(Row("opentracker (baseline)", reference));
        }

        AnsiConsole.Write(table);
        Console.WriteLine(ratio is { } value
            ? $"Shoal / opentracker = {value.ToString("0.00", CultureInfo.InvariantCulture)} ({load.Clients} clients, {load.Swarms} swarms, {load.Duration.TotalSeconds:0.#} s each in alternating rounds, loopback)"
            : "No baseline: opentracker is not installed.");
    }

    private static string[] Row(string name, AnnounceLoadResult r) =>
    [
        name,
        r.AnnouncesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
        r.LatencyMs?.P50.ToString("0.000", CultureInfo.InvariantCulture) ?? "-",
        r.LatencyMs?.P99?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-",
        r.Lost.ToString(CultureInfo.InvariantCulture),
        r.Announces > 0 ? ((double)r.PeersReturned / r.Announces).ToString("0.0", CultureInfo.InvariantCulture) : "-",
    ];

    private static JsonObject? Latency(Percentiles? p) => p is null ? null : new JsonObject
    {
        ["p50"] = Math.Round(p.P50, 4),
        ["p95"] = Math.Round(p.P95, 4),
        ["p99"] = p.P99 is { } p99 ? Math.Round(p99, 4) : null,
    };

    private static void Progress(bool quiet, string line)
    {
        // With --json, stdout carries only the JSON object; progress goes to stderr.
        (quiet ? Console.Error : Console.Out).WriteLine(line);
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
