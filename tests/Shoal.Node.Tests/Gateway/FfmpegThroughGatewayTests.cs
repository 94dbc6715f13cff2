using System.Diagnostics;
using Shoal.Node.Gateway;
using Shoal.Node.Origin;

namespace Shoal.Node.Tests.Gateway;

/// <summary>A real player (ffmpeg) reads live and VOD HLS, and a progressive MP4, through the gateway without an error.</summary>
public sealed class FfmpegThroughGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static string Samples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shoal.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? ".", "samples");
    }

    private static async Task<(int ExitCode, string Errors)> RunFfmpegAsync(string ffmpeg, params string[] arguments)
    {
        var info = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync(Ct);
        _ = process.StandardOutput.ReadToEndAsync(Ct);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await errors);
    }

    [Fact]
    public async Task Ffmpeg_reads_live_and_VOD_HLS_and_a_progressive_MP4_through_the_gateway()
    {
        var ffmpeg = FindOnPath("ffmpeg");
        if (ffmpeg is null)
        {
            Assert.Skip("ffmpeg not installed: run scripts/install-test-deps.sh");
        }

        var samples = Samples();
        if (!File.Exists(Path.Combine(samples, "hls", "index.m3u8")))
        {
            Assert.Skip($"no HLS samples at {samples}/hls");
        }

        await using var hlsOrigin = await OriginServer.StartAsync(
            new OriginServerOptions { Directory = Path.Combine(samples, "hls"), Live = true, LiveFlvFile = Path.Combine(samples, "live.flv") }, TimeProvider.System, Ct);
        await using var fileOrigin = await OriginServer.StartAsync(new OriginServerOptions { Directory = samples }, TimeProvider.System, Ct);
        await using var node = await ShoalNode.StartAsync(new NodeOptions { Gateway = new GatewayOptions { Port = 0 } }, TimeProvider.System, cancellationToken: Ct);

        var live = await RunFfmpegAsync(ffmpeg, "-t", "4", "-i", node.GatewayUrlFor(hlsOrigin.LivePlaylistUri.AbsoluteUri).AbsoluteUri, "-c", "copy", "-f", "null", "-");
        Assert.True(live.ExitCode == 0 && live.Errors.Length == 0, $"live: exit {live.ExitCode}: {live.Errors}");

        var vod = await RunFfmpegAsync(ffmpeg, "-i", node.GatewayUrlFor(new Uri(hlsOrigin.BaseUri, "index.m3u8").AbsoluteUri).AbsoluteUri, "-c", "copy", "-f", "null", "-");
        Assert.True(vod.ExitCode == 0 && vod.Errors.Length == 0, $"VOD: exit {vod.ExitCode}: {vod.Errors}");

        // The MP4 is read with Range requests (ffmpeg seeks to the moov box and back).
        var mp4 = await RunFfmpegAsync(ffmpeg, "-i", node.GatewayUrlFor(new Uri(fileOrigin.BaseUri, "vod.mp4").AbsoluteUri).AbsoluteUri, "-c", "copy", "-f", "null", "-");
        Assert.True(mp4.ExitCode == 0 && mp4.Errors.Length == 0, $"MP4: exit {mp4.ExitCode}: {mp4.Errors}");

        // HTTP-FLV live: one continuous response a late joiner can play from its first byte.
        var flvUrl = node.GatewayUrlFor(new Uri(hlsOrigin.LiveBaseUri, "stream.flv").AbsoluteUri).AbsoluteUri;
        var flv = await RunFfmpegAsync(ffmpeg, "-t", "3", "-i", flvUrl, "-c", "copy", "-f", "null", "-");
        Assert.True(flv.ExitCode == 0 && flv.Errors.Length == 0, $"FLV live: exit {flv.ExitCode}: {flv.Errors}");

        Assert.True(node.Metrics.SegmentsServed >= 30, $"{node.Metrics.SegmentsServed} segments served");
        Assert.Equal(0, node.Metrics.OriginErrors);
    }
}
