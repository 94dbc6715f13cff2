using Shoal.Protocol.Fuzzing;

namespace Shoal.Protocol.Tests.Fuzzing;

/// <summary>The decoder survives a few hundred thousand random and mutated datagrams: no exception, no hang, no well-formed datagram refused.</summary>
public sealed class DecoderFuzzerTests
{
    [Fact]
    public void Three_hundred_thousand_hostile_datagrams_cause_no_crash_and_no_hang()
    {
        var report = new DecoderFuzzer(new DecoderFuzzOptions(Iterations: 300_000, Seed: 20260101)).Run(cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(report.Passed, report.FirstFailure);
        Assert.Equal(0, report.Crashes);
        Assert.Equal(0, report.Hangs);
        Assert.Equal(0, report.ValidDatagramsRejected);
        Assert.Equal(300_000, report.Iterations);

        // The campaign reached deep: many datagrams decoded cleanly and the decoder hit most kinds of fault.
        Assert.True(report.CleanDatagrams > 30_000, $"only {report.CleanDatagrams} clean datagrams");
        Assert.True(report.MessagesDecoded > report.Iterations, $"only {report.MessagesDecoded} messages");
        foreach (var kind in new[] { DecodeError.Truncated, DecodeError.UnknownMessageType, DecodeError.InvalidChunkSpec, DecodeError.UnknownHandshakeOption, DecodeError.EmptyData })
        {
            Assert.True(report.ErrorsByKind.GetValueOrDefault(kind) > 0, $"never saw {kind}");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_report()
    {
        var first = new DecoderFuzzer(new DecoderFuzzOptions(Iterations: 20_000, Seed: 5)).Run(cancellationToken: TestContext.Current.CancellationToken);
        var second = new DecoderFuzzer(new DecoderFuzzOptions(Iterations: 20_000, Seed: 5)).Run(cancellationToken: TestContext.Current.CancellationToken);
        var other = new DecoderFuzzer(new DecoderFuzzOptions(Iterations: 20_000, Seed: 6)).Run(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first.CleanDatagrams, second.CleanDatagrams);
        Assert.Equal(first.MessagesDecoded, second.MessagesDecoded);
        Assert.Equal(first.ErrorsByKind.OrderBy(p => p.Key), second.ErrorsByKind.OrderBy(p => p.Key));
        Assert.NotEqual(first.MessagesDecoded, other.MessagesDecoded);
    }
}
