namespace Shoal.Cli;

/// <summary>
/// Lets a parent (such as `shoal demo`) be sure its children never outlive it, even when the parent is
/// killed with SIGKILL and cannot clean up: the parent sets <see cref="EnvironmentVariable"/> and keeps the
/// child's standard input open; when the parent dies the pipe closes and the child exits.
/// </summary>
internal static class ParentWatch
{
    public const string EnvironmentVariable = "SHOAL_EXIT_WITH_PARENT";

    public static void StartIfRequested()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) != "1")
        {
            return;
        }

        var watcher = new Thread(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            try
            {
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            // Exit code 0: the parent ended on purpose or died; either way this is not our failure.
            Environment.Exit(0);
        })
        {
            IsBackground = true,
            Name = "parent-watch",
        };
        watcher.Start();
    }
}
