using Shoal.Core.Manifests;
using Shoal.Media.Publishing;

namespace Shoal.Media.Tests.Publishing;

/// <summary>Publishes a 6-second test source to a three-rendition ladder once for all <see cref="LadderPublishTests"/>.</summary>
public sealed class LadderPublishFixture : IAsyncLifetime
{
    public DirectoryInfo Directory { get; } = System.IO.Directory.CreateTempSubdirectory("shoal-ladder-");

    public SigningKeyPair Key { get; } = SigningKeyPair.Generate();

    public PublishResult? Result { get; private set; }

    public List<PublishEvent> Events { get; } = [];

    public string Output => Path.Combine(Directory.FullName, "channel");

    public async ValueTask InitializeAsync()
    {
        if (FfmpegRequirement.Tools is not { } tools)
        {
            return;
        }

        var options = new PublishOptions
        {
            Input = FfmpegRequirement.Source,
            OutputDirectory = Output,
            Ladder = true,
            Rungs = FfmpegRequirement.SmallLadder,
            SegmentSeconds = 2,
            Duration = TimeSpan.FromSeconds(6),
            Preset = "ultrafast",
            Flv = true,
        };
        var publisher = new HlsPublisher(options, Key, tools, TimeProvider.System);
        Result = await publisher.RunAsync(e => { lock (Events) { Events.Add(e); } }, CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        Key.Dispose();
        Directory.Delete(true);
        return ValueTask.CompletedTask;
    }
}
