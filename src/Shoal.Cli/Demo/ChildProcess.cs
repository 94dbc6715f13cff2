using System.Diagnostics;

namespace Shoal.Cli.Demo;

/// <summary>
/// One `shoal` subcommand run as a separate process, its output kept in a log file, stopped with its whole
/// process tree on dispose. Children exit by themselves if this process dies (<see cref="ParentWatch"/>).
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _stdout;
    private readonly Task _stderr;

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
        _stdout = Pump(process.StandardOutput);
        _stderr = Pump(process.StandardError);
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Starts `shoal ARGS…` with the same runtime and assembly as this process.</summary>
    public static ChildProcess StartShoal(string name, IEnumerable<string> arguments, string logDirectory)
    {
        var info = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Under `dotnet shoal.dll` the process path is the dotnet host; under an apphost it is shoal itself.
        var entry = typeof(ChildProcess).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet")
        {
            info.ArgumentList.Add(entry);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment[ParentWatch.EnvironmentVariable] = "1";
        info.Environment["DOTNET_gcServer"] = "0";
        var log = new StreamWriter(Path.Combine(logDirectory, name + ".log"), append: false) { AutoFlush = true };
        log.WriteLine($"$ shoal {string.Join(' ', info.ArgumentList.Skip(info.ArgumentList.Count > 0 && info.ArgumentList[0] == entry ? 1 : 0))}");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {name}.");
        return new ChildProcess(name, process, log);
    }

    /// <summary>The last lines the child wrote, to explain a failure in one place.</summary>
    public string Tail { get; private set; } = string.Empty;

    private async Task Pump(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (_log)
                {
                    _log.WriteLine(line);
                    Tail = line;
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Stops the child: closing stdin first lets it shut down cleanly, then the tree is killed if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }

            await Task.WhenAll(_stdout, _stderr);
        }
        catch (InvalidOperationException)
        {
            // The process never started or is already gone: nothing to stop.
        }
        finally
        {
            _process.Dispose();
            lock (_log)
            {
                _log.Dispose();
            }
        }
    }
}
