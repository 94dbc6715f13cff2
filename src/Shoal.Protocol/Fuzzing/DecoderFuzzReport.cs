namespace Shoal.Protocol.Fuzzing;

/// <summary>What a decoder fuzz run saw: how datagrams ended, and any broken invariant (crashes and hangs must be 0).</summary>
public sealed record DecoderFuzzReport
{
    public required long Iterations { get; init; }

    public required int Seed { get; init; }

    /// <summary>Datagrams decoded to the end without error.</summary>
    public required long CleanDatagrams { get; init; }

    /// <summary>Messages decoded, over all datagrams.</summary>
    public required long MessagesDecoded { get; init; }

    /// <summary>Datagrams that ended on each kind of error.</summary>
    public required IReadOnlyDictionary<DecodeError, long> ErrorsByKind { get; init; }

    /// <summary>Exceptions out of the decoder: must be 0.</summary>
    public required long Crashes { get; init; }

    /// <summary>Reads that made no progress or went past the datagram, or loops beyond one message per byte: must be 0.</summary>
    public required long Hangs { get; init; }

    /// <summary>Well-formed datagrams (written by <see cref="DatagramWriter"/>, not mutated) the decoder rejected or misread: must be 0.</summary>
    public required long ValidDatagramsRejected { get; init; }

    /// <summary>The first broken invariant, with the iteration and the datagram in hex, to replay it; null if none.</summary>
    public string? FirstFailure { get; init; }

    public bool Passed => Crashes == 0 && Hangs == 0 && ValidDatagramsRejected == 0;
}
