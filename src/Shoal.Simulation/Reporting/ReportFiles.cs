namespace Shoal.Simulation.Reporting;

/// <summary>
/// Writes report files so that every failure surfaces as an <see cref="IOException"/> naming the path:
/// the CLI catches that one type and prints its message, whatever the cause underneath (a file where the
/// directory should be, no permission, a full disk).
/// </summary>
internal static class ReportFiles
{
    public static void EnsureDirectory(string dir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        Guard(dir, () => Directory.CreateDirectory(dir));
    }

    public static string WriteText(string dir, string fileName, string text)
    {
        string path = Path.Combine(dir, fileName);
        Guard(path, () => File.WriteAllText(path, text));
        return path;
    }

    public static string WriteBytes(string dir, string fileName, byte[] bytes)
    {
        string path = Path.Combine(dir, fileName);
        Guard(path, () => File.WriteAllBytes(path, bytes));
        return path;
    }

    private static void Guard(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new IOException($"cannot write the simulation report to '{path}': {e.Message}", e);
        }
    }
}
