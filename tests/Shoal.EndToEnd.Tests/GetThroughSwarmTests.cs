using System.Globalization;
using System.Text.Json;

namespace Shoal.EndToEnd.Tests;

/// <summary>
/// `shoal get` through the swarm with real processes: `shoal origin` serves a file, `shoal tracker` maps it and has its
/// oracle hash it, one `shoal get` downloads it and seeds, then two more download it at the same time.
/// </summary>
public sealed class GetThroughSwarmTests
{
    /// <summary>Three 4 MiB slices and a short last one.</summary>
    private const int FileBytes = (3 << 22) + 12_345;

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Three_gets_write_the_file_byte_identical_and_the_origins_counter_shows_peers_carried_part_of_it()
    {
        var dir = Directory.CreateTempSubdirectory("shoal-get-test-").FullName;
        try
        {
            var files = Directory.CreateDirectory(Path.Combine(dir, "files")).FullName;
            var content = new byte[FileBytes];
            new Random(42).NextBytes(content);
            await File.WriteAllBytesAsync(Path.Combine(files, "big.bin"), content);

            await using var origin = ShoalProcess.Start("origin", files, "--port", "0");
            await using var tracker = ShoalProcess.Start("tracker", "--udp", "0", "--http", "0", "--bind", "127.0.0.1");
            var originUrl = await WaitForUrlAsync(origin, "shoal origin: serving ");
            var trackerUrl = await WaitForUrlAsync(tracker, "shoal tracker: HTTP API on ");
            var fileUrl = new Uri(originUrl, "big.bin").AbsoluteUri;
            var trackerApi = new Uri(trackerUrl.GetLeftPart(UriPartial.Authority)).AbsoluteUri;

            // The first download has nobody to share with; it seeds once done.
            await using var first = ShoalProcess.Start("get", fileUrl, "-o", Path.Combine(dir, "a.bin"), "--tracker", trackerApi, "--seed-for", "60", "--json", "--log");
            await WaitForAsync(() => first.Errors.Contains("seeding", StringComparison.Ordinal), first, "the first get to finish and seed");

            // Two more start together while it seeds.
            await using var second = ShoalProcess.Start("get", fileUrl, "-o", Path.Combine(dir, "b.bin"), "--tracker", trackerApi, "--json", "--log");
            await using var third = ShoalProcess.Start("get", fileUrl, "-o", Path.Combine(dir, "c.bin"), "--tracker", trackerApi, "--json", "--log");
            var results = new List<JsonElement>();
            foreach (var get in new[] { second, third })
            {
                var exit = await get.WaitAsync(Limit);
                Assert.True(exit == 0, $"shoal get exited {exit}:\n{get.Errors}");
                results.Add(JsonDocument.Parse(get.Output).RootElement);
            }

            foreach (var name in new[] { "a.bin", "b.bin", "c.bin" })
            {
                Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(dir, name)));
            }

            using var http = new HttpClient();
            using var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri(originUrl, "stats")));
            var byAgent = stats.RootElement.GetProperty("bytes_by_agent");
            var toNodes = byAgent.GetProperty("shoal-node").GetInt64();
            var toOracle = byAgent.GetProperty("shoal-oracle").GetInt64();
            var fromPeers = results.Sum(r => r.GetProperty("bytes_from_peers").GetInt64());
            var delivered = 3L * FileBytes;
            var figures = string.Create(CultureInfo.InvariantCulture,
                $"delivered {delivered}; the origin sent the nodes {toNodes} and the oracle {toOracle}; the two later gets had {fromPeers} from peers");
            var logs = $"{figures}\n--- first:\n{first.Errors}\n--- second:\n{second.Errors}\n--- third:\n{third.Errors}";
            TestContext.Current.TestOutputHelper?.WriteLine(logs);

            // The oracle fetched the file once to hash it. Peers carried part of what the later gets wrote, and the
            // origin's own counter shows it: it sent the nodes that much less than the three copies. (Usually the two
            // later gets take all of it from the first one: the nodes then got one copy from the origin, not three.)
            Assert.Equal(FileBytes, toOracle);
            Assert.True(fromPeers >= FileBytes / 4, logs);
            Assert.True(toNodes <= delivered - (FileBytes / 4), logs);
            Assert.True(fromPeers + toNodes >= delivered, logs);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<Uri> WaitForUrlAsync(ShoalProcess process, string prefix)
    {
        Uri? url = null;
        await WaitForAsync(() =>
        {
            var line = process.Output.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            var at = line?.IndexOf("http", StringComparison.Ordinal) ?? -1;
            return at >= 0 && Uri.TryCreate(line![at..].Split(' ')[0].Trim(), UriKind.Absolute, out url);
        }, process, $"'{prefix}'");
        return url!;
    }

    /// <summary>Polls a condition with a deadline; fails with the process's output if it exits first.</summary>
    private static async Task WaitForAsync(Func<bool> condition, ShoalProcess process, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.False(process.HasExited, $"the process exited before {what}:\n{process.Output}\n{process.Errors}");
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Limit, $"no {what} in {Limit}:\n{process.Output}\n{process.Errors}");
            await Task.Delay(100);
        }
    }
}
