using Microsoft.Extensions.Hosting;

namespace Shoal.Node.Hosting;

/// <summary>
/// A host lifetime that leaves SIGINT/SIGTERM alone. Kestrel hosts embedded in a command (the origin, the gateway)
/// must not swallow the signals with ASP.NET's console lifetime: the command owns shutdown, so that it can stop the
/// servers, flush the store and exit in its own order.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
