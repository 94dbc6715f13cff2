using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Shoal.Dht.Tests.Interop;

/// <summary>
/// Runs tests/interop/dht/interop.mjs (an npm bittorrent-dht node) and talks to it by JSON lines: commands on
/// stdin, events on stdout. Disposing closes stdin and kills the process if it has not left by then.
/// </summary>
internal sealed class BittorrentDhtProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _stderr = [];

    private BittorrentDhtProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _events.Writer.TryComplete();
                return;
            }

            try
            {
                _events.Writer.TryWrite(JsonDocument.Parse(e.Data).RootElement.Clone());
            }
            catch (JsonException)
            {
                lock (_stderr)
                {
                    _stderr.Add("stdout: " + e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string InteropFolder => Path.Combine(RepositoryRoot(), "tests", "interop", "dht");

    /// <summary>Why the interop test cannot run here (node or the npm packages missing), or null when it can.</summary>
    public static string? MissingPrerequisite()
    {
        if (FindOnPath("node") is null)
        {
            return "node is not installed: install Node.js (apt-get install nodejs npm), then run `npm ci --prefix tests/interop/dht`";
        }

        return Directory.Exists(Path.Combine(InteropFolder, "node_modules", "bittorrent-dht"))
            ? null
            : "tests/interop/dht/node_modules is missing: run `npm ci --prefix tests/interop/dht`";
    }

    public static BittorrentDhtProcess Start(string bootstrap)
    {
        var info = new ProcessStartInfo(FindOnPath("node")!, ["interop.mjs", bootstrap])
        {
            WorkingDirectory = InteropFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return new BittorrentDhtProcess(Process.Start(info) ?? throw new InvalidOperationException("node did not start"));
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next event matching the predicate (others are skipped), within the guard time.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan guard, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(guard);
        try
        {
            await foreach (var e in _events.Reader.ReadAllAsync(timeout.Token))
            {
                if (match(e))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Fall through to the diagnostic below.
        }

        string log;
        lock (_stderr)
        {
            log = string.Join('\n', _stderr);
        }

        throw new TimeoutException($"bittorrent-dht did not report the awaited event within {guard}. Its stderr:\n{log}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Shoal.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Shoal.slnx not found above " + AppContext.BaseDirectory);
    }
}
