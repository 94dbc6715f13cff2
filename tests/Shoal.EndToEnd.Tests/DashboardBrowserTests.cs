using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Shoal.EndToEnd.Tests;

/// <summary>The node dashboard in a real browser (Debian's chromium, headless) while a demo swarm runs.</summary>
public sealed partial class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_dashboard_plays_the_live_channel_and_shows_offload()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip("chromium is not installed: run scripts/install-test-deps.sh (apt-get install chromium)");
        }

        var logs = Directory.CreateTempSubdirectory("shoal-ui-test-").FullName;
        await using var demo = ShoalProcess.Start("demo", "--nodes", "4", "--duration", "90", "--logs", logs);
        var dashboard = await WaitForDashboardAsync(demo, "node-03", TimeSpan.FromSeconds(60));

        await WaitForNodeAsync(dashboard, demo, TimeSpan.FromSeconds(60));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        await page.GotoAsync(dashboard.AbsoluteUri);

        // The player reaches five seconds of playback through the node's gateway.
        await page.WaitForFunctionAsync("() => document.getElementById('video').currentTime >= 5", null,
            new PageWaitForFunctionOptions { Timeout = 75_000, PollingInterval = 500 });

        // The offload figure is shown and above zero once peers have carried some of the bytes.
        await page.WaitForFunctionAsync("() => parseFloat(document.getElementById('offload').textContent) > 0", null,
            new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 500 });
        var offload = double.Parse(PercentNumber().Match(await page.TextContentAsync("#offload") ?? string.Empty).Value, CultureInfo.InvariantCulture);
        Assert.InRange(offload, 0.001, 100);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        TestContext.Current.AddAttachment("dashboard screenshot", screenshot);
    }

    private static async Task<Uri> WaitForDashboardAsync(ShoalProcess demo, string node, TimeSpan limit)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < limit)
        {
            var line = demo.Output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(node + ": http", StringComparison.Ordinal));
            if (line is not null)
            {
                return new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim());
            }

            Assert.False(demo.HasExited, $"shoal demo exited early:\n{demo.Output}\n{demo.Errors}");
            await Task.Delay(200);
        }

        throw new TimeoutException($"shoal demo printed no dashboard URL for {node} in {limit}:\n{demo.Output}\n{demo.Errors}");
    }

    private static async Task WaitForNodeAsync(Uri dashboard, ShoalProcess demo, TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < limit)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(dashboard, "/api/status"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            Assert.False(demo.HasExited, $"shoal demo exited early:\n{demo.Output}\n{demo.Errors}");
            await Task.Delay(200);
        }

        throw new TimeoutException($"{dashboard} did not answer in {limit}");
    }

    [GeneratedRegex(@"[0-9]+(\.[0-9]+)?")]
    private static partial Regex PercentNumber();
}
