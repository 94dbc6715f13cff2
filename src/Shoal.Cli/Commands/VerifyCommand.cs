using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Shoal.Media.Ffmpeg;
using Shoal.Media.Publishing;
using Shoal.Media.Verification;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal verify`: checks a published folder's signatures, hashes and sampled content.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "The output folder of `shoal publish` (with index.m3u8)." };
        var key = new Option<string>("--key") { Description = "The publisher's public key file (FILE.pub from `shoal keygen`); a private key file works too.", Required = true };
        var source = new Option<string?>("--source") { Description = "The source the renditions were made from, in `shoal publish` INPUT syntax; without it a ladder's renditions are compared with its top rendition." };
        var samples = new Option<int>("--samples") { Description = "Segments spot checked per rendition (0: signatures and hashes only).", DefaultValueFactory = _ => VerifyOptions.DefaultSamples };
        var seed = new Option<int>("--seed") { Description = "Seed of the sample choice.", DefaultValueFactory = _ => 1 };
        var metric = new Option<ContentMetric>("--metric") { Description = "Content metric: Ssim or Psnr.", DefaultValueFactory = _ => ContentMetric.Ssim };
        var minSsim = new Option<double>("--min-ssim") { Description = "Lowest SSIM accepted.", DefaultValueFactory = _ => VerifyOptions.DefaultMinSsim };
        var minPsnr = new Option<double>("--min-psnr") { Description = "Lowest PSNR accepted, in dB.", DefaultValueFactory = _ => VerifyOptions.DefaultMinPsnr };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command(
            "verify",
            "Check a published folder: every rendition's manifest is signed by the publisher's key, every segment matches its signed " +
            "Merkle root, and sampled segments decode, start on a keyframe, line up with the other renditions and the playlist, and " +
            "look like the source (SSIM/PSNR by ffmpeg). Exits non-zero and names every rendition that fails.")
        {
            directory, key, source, samples, seed, metric, minSsim, minPsnr, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!PublisherKeyFile.TryReadPublic(parseResult.GetValue(key)!, out var publicKey, out var keyError))
            {
                Console.Error.WriteLine($"shoal verify: {keyError}");
                return 1;
            }

            var options = new VerifyOptions
            {
                Samples = Math.Max(0, parseResult.GetValue(samples)),
                Seed = parseResult.GetValue(seed),
                Source = parseResult.GetValue(source),
                Metric = parseResult.GetValue(metric),
                MinSsim = parseResult.GetValue(minSsim),
                MinPsnr = parseResult.GetValue(minPsnr),
            };
            FfmpegTools tools;
            if (options.Samples > 0)
            {
                if (!FfmpegTools.TryLocate(out tools, out var missing))
                {
                    Console.Error.WriteLine($"shoal verify: {missing} (or pass --samples 0 to check signatures and hashes only)");
                    return 1;
                }
            }
            else
            {
                tools = new FfmpegTools("ffmpeg", "ffprobe");
            }

            var report = await new MediaVerifier(tools).VerifyAsync(parseResult.GetValue(directory)!, publicKey, options, cancellationToken);
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    passed = report.Passed,
                    problems = report.Problems,
                    renditions = report.Renditions.Select(r => new
                    {
                        name = r.Name,
                        passed = r.Passed,
                        signature_valid = r.SignatureValid,
                        segments_hashed = r.SegmentsHashed,
                        hash_mismatches = r.HashMismatches,
                        spot_checks = r.SpotChecks.Select(c => new { sequence = c.Sequence, passed = c.Passed, decodes = c.Decodes, start_s = c.StartSeconds, duration_s = c.DurationSeconds, score = c.Score, problems = c.Problems }),
                        problems = r.Problems,
                    }),
                }));
            }
            else
            {
                var table = new Table().AddColumns("rendition", "signature", "segments hashed", "hash mismatches", "spot checks passed", $"min {options.Metric.ToString().ToUpperInvariant()}", "result");
                foreach (var r in report.Renditions)
                {
                    var scores = r.SpotChecks.Where(c => c.Score is not null).Select(c => c.Score!.Value).ToArray();
                    table.AddRow(
                        Markup.Escape(r.Name),
                        r.SignatureValid ? "valid" : "[red]INVALID[/]",
                        r.SegmentsHashed.ToString(CultureInfo.InvariantCulture),
                        r.HashMismatches.Count == 0 ? "0" : $"[red]{r.HashMismatches.Count}[/]",
                        $"{r.SpotChecks.Count(c => c.Passed)}/{r.SpotChecks.Count}",
                        scores.Length == 0 ? "-" : scores.Min().ToString("0.0000", CultureInfo.InvariantCulture),
                        r.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
                }

                if (report.Renditions.Count > 0)
                {
                    AnsiConsole.Write(table);
                }

                foreach (var problem in report.Problems.Concat(report.Renditions.SelectMany(r => r.Problems)))
                {
                    Console.Error.WriteLine($"shoal verify: {problem}");
                }
            }

            if (!report.Passed)
            {
                var failed = report.Renditions.Where(r => !r.Passed).Select(r => r.Name).ToArray();
                Console.Error.WriteLine(failed.Length > 0 ? $"shoal verify: FAILED: {string.Join(", ", failed)}" : "shoal verify: FAILED");
                return 1;
            }

            return 0;
        });
        return command;
    }
}
