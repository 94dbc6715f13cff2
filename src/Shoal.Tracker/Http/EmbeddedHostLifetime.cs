using Microsoft.Extensions.Hosting;

namespace Shoal.Tracker.Http;

/// <summary>
/// The tracker's web host is a component inside a larger program (the CLI, a test): it must not take over SIGINT and
/// SIGTERM as the default console lifetime does, or Ctrl+C would stop the API but never reach the program's own
/// cancellation.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
