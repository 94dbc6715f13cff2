namespace Shoal.Simulation.Fuzzing;

/// <summary>What a <see cref="ChannelFuzzer"/> run saw; it passes when nothing crashed or hung and the tables still work.</summary>
public sealed record ChannelFuzzReport
{
    public long Iterations { get; init; }

    public int Seed { get; init; }

    /// <summary>Exceptions thrown by a table or channel (must be 0).</summary>
    public long Crashes { get; init; }

    /// <summary>Polls that never ran dry (must be 0).</summary>
    public long Hangs { get; init; }

    /// <summary>Datagrams the tables could not route or decode.</summary>
    public long Malformed { get; init; }

    /// <summary>Datagrams for unknown channels or from addresses that do not own the channel.</summary>
    public long UnknownChannel { get; init; }

    /// <summary>Opening handshakes refused.</summary>
    public long Refused { get; init; }

    /// <summary>Times a fuzzed channel was closed by the input and a fresh one opened.</summary>
    public long ChannelsReopened { get; init; }

    /// <summary>Whether, after the run, a new peer could still open a channel and move data through a fuzzed table.</summary>
    public bool StillServes { get; init; }

    /// <summary>The first crash or hang: iteration, datagram (hex) and exception.</summary>
    public string? FirstFailure { get; init; }

    public bool Passed => Crashes == 0 && Hangs == 0 && StillServes;
}
