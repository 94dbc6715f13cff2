namespace Shoal.Media.Tests;

/// <summary>Finds files of the repository (samples/) from the test binary's folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Samples(params string[] parts) => Path.Combine([Root, "samples", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shoal.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Shoal.slnx not found above " + AppContext.BaseDirectory);
    }
}
