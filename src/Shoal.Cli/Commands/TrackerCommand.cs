using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Shoal.Core.Manifests;
using Shoal.Media.Publishing;
using Shoal.Tracker;

namespace Shoal.Cli.Commands;

/// <summary>`shoal tracker`: run the tracker and mapping service (BEP 15 over UDP, the /v1 HTTP API, the overview page).</summary>
internal static class TrackerCommand
{
    public static Command Create()
    {
        var udp = new Option<int>("--udp") { Description = "UDP port of the BEP 15 tracker (announce/scrape); any BitTorrent UDP client can use it.", DefaultValueFactory = _ => 6969 };
        var http = new Option<int>("--http") { Description = "TCP port of the HTTP API (/v1: mappings, manifests, super peers, push) and the overview page (/).", DefaultValueFactory = _ => 8080 };
        var bind = new Option<string>("--bind") { Description = "Address to listen on; '::' takes IPv4 and IPv6.", DefaultValueFactory = _ => "::" };
        var redis = new Option<string?>("--redis") { Description = "Keep state in Redis at HOST:PORT, so several tracker instances share it (default: in memory)." };
        var key = new Option<FileInfo?>("--key") { Description = "Mapping-service Ed25519 private key file (as `shoal keygen` writes it) that signs hash-oracle manifests; created if missing. Instances sharing --redis should share it. Default: a new key for this run." };
        var command = new Command("tracker", "Run Shoal's tracker and mapping service: peer discovery over BitTorrent's UDP tracker protocol (BEP 15, keyed by RID), URL → RID mapping, signed manifests, the hash oracle for unsigned HLS origins, the super-peer registry and push.")
        {
            udp, http, bind, redis, key,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var udpPort = parseResult.GetValue(udp);
            var httpPort = parseResult.GetValue(http);
            if (udpPort is < 0 or > 65535 || httpPort is < 0 or > 65535)
            {
                Console.Error.WriteLine("shoal tracker: --udp and --http are ports between 0 and 65535.");
                return 2;
            }

            if (!IPAddress.TryParse(parseResult.GetValue(bind), out var address))
            {
                Console.Error.WriteLine($"shoal tracker: --bind '{parseResult.GetValue(bind)}' is not an IP address.");
                return 2;
            }

            if (!TryLoadKey(parseResult.GetValue(key), out var mappingKey, out var keyNote))
            {
                Console.Error.WriteLine($"shoal tracker: {keyNote}");
                return 2;
            }

            using (mappingKey)
            {
                var options = new TrackerHostOptions
                {
                    UdpEndPoint = new IPEndPoint(address, udpPort),
                    HttpEndPoint = new IPEndPoint(address, httpPort),
                    Redis = parseResult.GetValue(redis),
                };
                TrackerHost host;
                try
                {
                    host = await TrackerHost.StartAsync(options, mappingKey, cancellationToken: cancellationToken);
                }
#pragma warning disable CA1031 // Any start-up failure (port taken, Redis unreachable) becomes one clear line and exit code 1.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    Console.Error.WriteLine($"shoal tracker: cannot start: {e.Message}");
                    return 1;
                }

                await using (host)
                {
                    var udpText = host.UdpEndPoint.ToString();
                    Console.WriteLine($"shoal tracker: BEP 15 announce on udp://{udpText}/announce");
                    Console.WriteLine($"shoal tracker: HTTP API on {host.HttpAddress}v1/ and the overview at {host.HttpAddress}");
                    Console.WriteLine($"shoal tracker: state {(options.Redis is null ? "in memory" : "in Redis at " + options.Redis)}");
                    Console.WriteLine($"shoal tracker: mapping-service key {mappingKey.PublicKey} ({keyNote})");
                    Console.WriteLine("shoal tracker: running; Ctrl+C (or SIGTERM) stops it.");
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
                    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
                    void Stop(PosixSignalContext context)
                    {
                        // Stop cleanly (close the sockets, flush Redis) instead of dying mid-request.
                        context.Cancel = true;
                        stop.Cancel();
                    }

                    try
                    {
                        await Task.Delay(Timeout.Infinite, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }

                    Console.WriteLine($"shoal tracker: stopping after {host.Services.Udp.Counters.Announces.ToString(CultureInfo.InvariantCulture)} announces.");
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>The mapping-service key: the file `shoal keygen` writes (hex seed, 0600), created here when missing.</summary>
    private static bool TryLoadKey(FileInfo? file, out SigningKeyPair key, out string note)
    {
        if (file is null)
        {
            key = SigningKeyPair.Generate();
            note = "new for this run; pass --key FILE to keep it";
            return true;
        }

        if (!file.Exists)
        {
            key = SigningKeyPair.Generate();
            if (!PublisherKeyFile.TryWrite(key, file.FullName, overwrite: false, out var writeError))
            {
                key.Dispose();
                note = writeError;
                return false;
            }

            note = $"created {file.FullName} and {file.FullName}{PublisherKeyFile.PublicSuffix}";
            return true;
        }

        if (!PublisherKeyFile.TryReadPrivate(file.FullName, out key, out var error))
        {
            note = error;
            return false;
        }

        note = $"from {file.FullName}";
        return true;
    }
}
