namespace Shoal.Protocol.Fuzzing;

/// <summary>Settings of one decoder fuzz run: how many datagrams, from which seed, how long at most.</summary>
/// <param name="Iterations">Datagrams fed to the decoder.</param>
/// <param name="Seed">Seed of the generator: the same seed gives the same datagrams and the same report.</param>
/// <param name="MaxDatagramLength">Longest datagram generated; above a typical 1500-byte MTU on purpose.</param>
public sealed record DecoderFuzzOptions(long Iterations = DecoderFuzzOptions.DefaultIterations, int Seed = DecoderFuzzOptions.DefaultSeed, int MaxDatagramLength = DecoderFuzzOptions.DefaultMaxDatagramLength)
{
    public const long DefaultIterations = 1_000_000;
    public const int DefaultSeed = 7574;
    public const int DefaultMaxDatagramLength = 2048;
}
