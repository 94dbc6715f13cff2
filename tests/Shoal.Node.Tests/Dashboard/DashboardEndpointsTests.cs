using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Shoal.Node.Dashboard;

namespace Shoal.Node.Tests.Dashboard;

public sealed class DashboardEndpointsTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _http;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapDashboard();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_page_loads_with_its_player_library_from_the_node_itself()
    {
        var page = await _http!.GetStringAsync(new Uri("/ui", UriKind.Relative));
        Assert.Contains("<video", page, StringComparison.Ordinal);
        Assert.Contains("/ui/vendor/hls.light.min.js", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);

        using var script = await _http.GetAsync(new Uri("/ui/vendor/hls.light.min.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.StartsWith("text/javascript", script.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [Fact]
    public async Task An_unknown_file_is_a_clear_404()
    {
        using var response = await _http!.GetAsync(new Uri("/ui/nope.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
