using Shoal.Media.Dash;

namespace Shoal.Media.Tests.Dash;

public sealed class SampleMpdTests
{
    [Fact]
    public void Ffmpegs_dash_output_lists_exactly_the_segment_files_it_wrote()
    {
        var folder = RepositoryFiles.Samples("dash");
        var url = new Uri("http://127.0.0.1:8080/dash/manifest.mpd");
        Assert.True(MpdParser.TryParse(File.ReadAllText(Path.Combine(folder, "manifest.mpd")), url, null, out var mpd, out var error), error.ToString());
        var reps = mpd!.Representations.ToArray();
        Assert.Equal(["video/mp4", "audio/mp4"], reps.Select(r => r.MimeType));
        var listed = new List<string>();
        foreach (var rep in reps)
        {
            listed.Add(Path.GetFileName(rep.InitializationUrl!.AbsolutePath));
            listed.AddRange(rep.Segments.Select(s => Path.GetFileName(s.Url.AbsolutePath)));
            Assert.Equal(10.0, rep.Segments.Sum(s => s.Duration!.Value), 1);
        }

        var written = Directory.GetFiles(folder, "*.m4s").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(written, listed.Order(StringComparer.Ordinal));
        Assert.All(reps.SelectMany(r => r.Segments), s => Assert.StartsWith("http://127.0.0.1:8080/dash/chunk-", s.Url.AbsoluteUri, StringComparison.Ordinal));
    }
}
