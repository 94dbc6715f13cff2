using Shoal.Simulation.Fuzzing;

namespace Shoal.Engine.Tests.Channels;

/// <summary>
/// Random and mutated datagrams fed to live channel tables (an open channel on each side, aimed at its real channel
/// id and from its real peer address so they get past routing): nothing throws, every poll terminates, and the
/// tables still serve a new peer afterwards. `shoal fuzz channels` runs the same fuzzer for longer.
/// </summary>
public sealed class ChannelTableFuzzTests
{
    [Theory]
    [InlineData(1, 150_000)]
    [InlineData(2, 150_000)]
    public void Hostile_datagrams_never_crash_or_hang_a_live_table(int seed, int iterations)
    {
        var report = new ChannelFuzzer(new ChannelFuzzOptions(iterations, seed)).Run(cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(report.Crashes == 0, $"seed {seed}: {report.FirstFailure}");
        Assert.True(report.Hangs == 0, $"seed {seed}: {report.FirstFailure}");
        Assert.True(report.StillServes, $"seed {seed}: the fuzzed table no longer serves a new channel");
        Assert.Equal(iterations, report.Iterations);
        Assert.True(report.Malformed > 0 && report.UnknownChannel > 0, "the input reached both rejection paths");
        Assert.True(report.ChannelsReopened > 0, "closing handshakes in the input closed channels, which were reopened");
    }
}
