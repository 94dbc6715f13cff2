using System.Globalization;
using Shoal.Tracker.State;

namespace Shoal.Tracker.Tests.Support;

/// <summary>A throw-away redis-server on a free loopback port, without persistence; stopped on dispose.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly ExternalProcess _process;

    private RedisServer(ExternalProcess process)
    {
        _process = process;
    }

    public string Configuration => $"127.0.0.1:{_process.Port}";

    /// <summary>Starts redis-server, or returns null when it is not installed (the caller skips).</summary>
    public static async Task<RedisServer?> StartAsync(CancellationToken cancellationToken)
    {
        var path = ExternalProcess.Find("redis-server");
        if (path is null)
        {
            return null;
        }

        var port = ExternalProcess.FreePort();
        var process = ExternalProcess.Start(path, port, "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        var server = new RedisServer(process);
        // Wait for it to accept connections: a real event (a successful connect), with a deadline as a guard.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                await using var probe = await RedisTrackerStore.ConnectAsync(server.Configuration, TimeSpan.FromMinutes(1));
                return server;
            }
            catch (InvalidOperationException) when (!deadline.IsCancellationRequested && !process.HasExited)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
