namespace Shoal.Simulation.Fuzzing;

/// <summary>How long and from which seed <see cref="ChannelFuzzer"/> runs.</summary>
/// <param name="Iterations">Datagrams fed to the two live tables, alternating.</param>
/// <param name="Seed">Seed of the generator and of the network: the same seed replays the same run.</param>
public sealed record ChannelFuzzOptions(long Iterations, int Seed)
{
    /// <summary>The command's default: a longer run than the test suite's.</summary>
    public const long DefaultIterations = 2_000_000;

    public const int DefaultSeed = 6778;
}
