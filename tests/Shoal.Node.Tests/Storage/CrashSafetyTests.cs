using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Shoal.Core.Identity;
using Shoal.Node.Gateway;
using Shoal.Node.Origin;
using Shoal.Node.Storage;

namespace Shoal.Node.Tests.Storage;

/// <summary>A real `shoal get` killed with SIGKILL while it writes its cache; the cache must then serve only verified pieces.</summary>
public sealed class CrashSafetyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_kill_9_mid_write_every_piece_the_cache_keeps_equals_the_origins_bytes_and_a_rerun_resumes()
    {
        using var dir = new TempDirectory();
        using var cache = new TempDirectory();
        const int length = 6 * 1024 * 1024 + 123;
        var content = TestMedia.WriteRandomFile(dir.File("big.bin"), length, seed: 21);

        // 8 Mbit/s: the download takes about six seconds, so the kill lands while pieces are being written.
        await using var origin = await OriginServer.StartAsync(
            new OriginServerOptions { Directory = dir.Path, RateLimitBitsPerSecond = 8_000_000 }, TimeProvider.System, Ct);
        var url = new Uri(origin.BaseUri, "big.bin").AbsoluteUri;
        var output = dir.File("out.bin");

        using (var child = ShoalProcess.Start("get", url, "-o", output, "--cache", cache.Path, "--json"))
        {
            try
            {
                // Wait (guarded) until the child has written a good part of the cache, then kill it without warning.
                var guard = Stopwatch.StartNew();
                while (CacheBytes(cache.Path) < 512 * 1024)
                {
                    if (child.HasExited)
                    {
                        Assert.Fail($"shoal get exited before it could be killed: {await child.StandardError.ReadToEndAsync(Ct)}");
                    }

                    Assert.True(guard.Elapsed < TimeSpan.FromSeconds(60), "the cache never grew");
                    await Task.Delay(20, Ct);
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync(Ct);
            }
        }

        Assert.False(File.Exists(output), "a killed download must not leave a complete-looking output file");
        var disk = DiskSegmentCache.Open(new DiskCacheOptions { Directory = cache.Path }, new FakeTimeProvider());
        Assert.True(disk.OpenReport.PiecesKept > 0);
        var resource = Rid.ForUrl(url);
        var verified = 0;
        foreach (var (key, layout, _) in disk.Segments())
        {
            Assert.Equal(resource, key.Resource);
            for (var i = 0; i < layout.PieceCount; i++)
            {
                if (disk.TryRead(key, i, out var piece))
                {
                    var offset = (key.Sequence * GatewayOptions.DefaultFileSliceBytes) + layout.PieceOffset(i);
                    Assert.Equal(content.AsSpan((int)offset, piece.Length).ToArray(), piece);
                    verified++;
                }
            }
        }

        Assert.Equal(disk.OpenReport.PiecesKept, verified);

        // The re-run takes what the cache kept and fetches only the rest.
        using var rerun = ShoalProcess.Start("get", url, "-o", output, "--cache", cache.Path, "--json");
        var stdout = await rerun.StandardOutput.ReadToEndAsync(Ct);
        await rerun.WaitForExitAsync(Ct);
        Assert.True(rerun.ExitCode == 0, $"shoal get failed: {await rerun.StandardError.ReadToEndAsync(Ct)}");
        Assert.Equal(content, await File.ReadAllBytesAsync(output, Ct));
        using var result = JsonDocument.Parse(stdout);
        Assert.True(result.RootElement.GetProperty("bytes_from_store").GetInt64() > 0, stdout);
    }

    private static long CacheBytes(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*.seg").Sum(f => f.Length);
}
