using System.Runtime.InteropServices;

namespace Shoal.Cli.Commands;

/// <summary>
/// Turns SIGINT (Ctrl-C) and SIGTERM into a cancellation token for long-running commands, so they stop their servers
/// and flush their stores before exiting instead of being cut off mid-write.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal(CancellationToken alsoStopOn)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(alsoStopOn);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _cts.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cts.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the command exits by itself once it has shut down cleanly.
        context.Cancel = true;
        _cts.Cancel();
    }
}
