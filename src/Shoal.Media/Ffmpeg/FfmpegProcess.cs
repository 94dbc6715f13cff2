using System.Diagnostics;
using System.Text;

namespace Shoal.Media.Ffmpeg;

/// <summary>
/// Runs ffmpeg or ffprobe as a child process: arguments through ArgumentList (no shell quoting), standard
/// output line by line to a callback (ffmpeg's -progress pipe:1) or collected, the last lines of standard
/// error kept for a one-line error, and the process stopped (q on stdin, then killed) on cancellation.
/// </summary>
public static class FfmpegProcess
{
    /// <summary>Lines of standard error kept for the error report.</summary>
    public const int KeptErrorLines = 20;

    /// <summary>How long ffmpeg gets to finish its files after 'q' before it is killed.</summary>
    public static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="executable"/> with <paramref name="arguments"/>.</summary>
    /// <param name="executable">Path of ffmpeg or ffprobe.</param>
    /// <param name="arguments">Arguments, one per element.</param>
    /// <param name="onOutputLine">Called for each standard-output line; when null, the output is collected in the result.</param>
    /// <param name="cancellationToken">Stops the process.</param>
    public static async Task<FfmpegResult> RunAsync(string executable, IEnumerable<string> arguments, Action<string>? onOutputLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executable);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            if (!process.Start())
            {
                return new FfmpegResult(-1, $"{Path.GetFileName(executable)} did not start", false, "", []);
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new FfmpegResult(-1, $"{Path.GetFileName(executable)} could not be started: {e.Message}. {FfmpegTools.InstallHint}", false, "", []);
        }

        var errors = new Queue<string>();
        var collected = new StringBuilder();
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                if (onOutputLine is null)
                {
                    collected.Append(line).Append('\n');
                }
                else
                {
                    onOutputLine(line);
                }
            }
        }, CancellationToken.None);
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                lock (errors)
                {
                    errors.Enqueue(line.Trim());
                    if (errors.Count > KeptErrorLines)
                    {
                        errors.Dequeue();
                    }
                }
            }
        }, CancellationToken.None);

        var cancelled = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
            await StopAsync(process).ConfigureAwait(false);
        }

        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        string errorLine;
        string[] errorOutput;
        lock (errors)
        {
            errorLine = process.ExitCode == 0 || cancelled ? "" : PickErrorLine(errors, process.ExitCode);
            errorOutput = [.. errors];
        }

        return new FfmpegResult(cancelled ? -1 : process.ExitCode, errorLine, cancelled, collected.ToString(), errorOutput);
    }

    /// <summary>
    /// The most telling line of ffmpeg's error output: ffmpeg usually ends with a generic line
    /// ("Conversion failed!", "Error opening output files: ...") after the specific one, so prefer a specific line.
    /// </summary>
    internal static string PickErrorLine(IEnumerable<string> lines, int exitCode = 1)
    {
        var all = lines.ToArray();
        for (var i = all.Length - 1; i >= 0; i--)
        {
            if (!all[i].StartsWith("Conversion failed", StringComparison.Ordinal) && !all[i].StartsWith("Exiting normally", StringComparison.Ordinal))
            {
                return all[i];
            }
        }

        if (all.Length > 0)
        {
            return all[^1];
        }

        // POSIX shells and .NET report death by signal N as exit code 128 + N.
        return exitCode is > 128 and < 160 && !OperatingSystem.IsWindows()
            ? $"killed by signal {exitCode - 128}"
            : "exited with an error but printed nothing";
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            // 'q' lets ffmpeg finish its current segment and close the playlist properly.
            await process.StandardInput.WriteAsync('q').ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The process is already gone.
        }

        using var grace = new CancellationTokenSource(GracefulStopTimeout);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
