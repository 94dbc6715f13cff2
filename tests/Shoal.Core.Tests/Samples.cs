namespace Shoal.Core.Tests;

/// <summary>Finds the repository's samples/ folder from the test's output directory.</summary>
internal static class Samples
{
    public static string Find(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"samples/{name} was not found above {AppContext.BaseDirectory}.");
    }
}
