using System.Buffers.Binary;
using CsCheck;
using Shoal.Core.Flv;
using Shoal.Core.Fragmentation;
using Shoal.Core.Integrity;
using Shoal.Core.Tests.Flv;

namespace Shoal.Core.Tests.Fragmentation;

public sealed class FlvLiveFragmenterTests
{
    private static readonly FragmentationOptions Options = new(FlvMinimumSliceDuration: TimeSpan.FromSeconds(2));

    private static List<FlvSlice> Fragment(byte[] bytes, IEnumerable<int> cuts, out FlvLiveFragmenter fragmenter, FragmentationOptions? options = null)
    {
        fragmenter = new FlvLiveFragmenter(options ?? Options);
        var slices = new List<FlvSlice>();
        var position = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            var end = Math.Clamp(cut, position, bytes.Length);
            Assert.True(fragmenter.TryFeed(bytes.AsSpan(position, end - position), slices, out var error), error);
            position = end;
        }

        if (fragmenter.Complete() is { } last)
        {
            slices.Add(last);
        }

        return slices;
    }

    /// <summary>
    /// The cut rule written out a second time over a whole buffer, without the incremental reader: walk the tags by
    /// their sizes, note keyframes, and apply "first keyframe at or after a grid point, at least D after the slice start".
    /// </summary>
    private static List<(long Sequence, long Offset, long Length)> ReferenceCuts(byte[] bytes, long gridMs)
    {
        var cuts = new List<(long Sequence, long Offset, long Length)>();
        long? previousKeyframe = null, openStart = null, openOffset = null, openSequence = null;
        var offset = 13;
        while (offset + 11 <= bytes.Length)
        {
            var size = (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
            long timestamp = ((long)bytes[offset + 7] << 24) | ((long)bytes[offset + 4] << 16) | ((long)bytes[offset + 5] << 8) | bytes[offset + 6];
            var keyframe = bytes[offset] == 9 && size >= 2 && bytes[offset + 11] >> 4 == 1 && bytes[offset + 12] != 0;
            if (keyframe)
            {
                var onGrid = previousKeyframe is { } p ? timestamp / gridMs > p / gridMs : timestamp % gridMs == 0;
                if (onGrid && (openStart is null || timestamp - openStart >= gridMs))
                {
                    if (openOffset is { } o)
                    {
                        cuts.Add((openSequence!.Value, o, offset - o));
                    }

                    openSequence = Math.Max(timestamp / gridMs, (openSequence ?? -1) + 1);
                    openStart = timestamp;
                    openOffset = offset;
                }

                previousKeyframe = timestamp;
            }

            offset += 11 + size + 4;
        }

        if (openOffset is { } last)
        {
            cuts.Add((openSequence!.Value, last, offset - last));
        }

        return cuts;
    }

    private static readonly Gen<(byte[] Bytes, int[] Cuts)> Streams =
        Gen.Select(Gen.Int[0, 3], Gen.Int[1, 4], Gen.Int[30, 3000]).SelectMany((startGops, gopFrames, frameSize) =>
        {
            var gop = gopFrames * 600L; // GOPs of 0.6 to 2.4 s: some divide the 2 s grid, some do not
            var bytes = FlvBuilder.Live(startGops * gop, (startGops * gop) + 15_000, gop, t => frameSize + (int)(t % 97)).ToArray();
            return Gen.Int[0, bytes.Length].Array[0, 30].Select(cuts => (bytes, cuts));
        });

    [Fact]
    public void Streaming_fragmenter_agrees_with_a_whole_input_reference_under_any_split()
    {
        Streams.Sample(stream =>
        {
            var slices = Fragment(stream.Bytes, stream.Cuts.Order(), out _);
            var reference = ReferenceCuts(stream.Bytes, 2000);
            Assert.Equal(reference, slices.Select(s => (s.Sequence, s.Offset, s.Length)));
            foreach (var slice in slices)
            {
                Assert.Equal(MerkleHash.SegmentRoot(MerkleHashFunction.Sha256, stream.Bytes.AsSpan((int)slice.Offset, (int)slice.Length)), slice.Root);
                Assert.True(slice.StartsAtKeyframe);
            }

            Assert.All(slices.SkipLast(1), s => Assert.True(s.Duration >= TimeSpan.FromSeconds(2), $"slice {s.Sequence} lasts {s.Duration}"));
        }, iter: 40);
    }

    [Fact]
    public void A_late_joiner_cuts_the_same_slices_as_a_node_that_saw_the_start()
    {
        // GOP 1.2 s does not divide the 2 s grid: the joiner must still converge on the same slices.
        Gen.Select(Gen.OneOf(1000L, 1200L, 2000L), Gen.Int[1, 60]).Sample((gop, joinFrame) =>
        {
            var full = FlvBuilder.Live(0, 30_000, gop, t => 300 + (int)(t % 50));
            var bytes = full.ToArray();
            var first = Fragment(bytes, [], out _);

            // The joiner's connection: a fresh header and prefix, then the same tags from a later point on.
            var prefixEnd = (int)full.TagOffsets[3];
            var joinAt = (int)full.TagOffsets[3 + joinFrame];
            byte[] joined = [.. bytes.AsSpan(0, prefixEnd), .. bytes.AsSpan(joinAt)];
            var late = Fragment(joined, [], out var lateFragmenter);

            Assert.NotEmpty(late);
            Assert.True(lateFragmenter.Prefix.HasMetadata && lateFragmenter.Prefix.HasVideoSequenceHeader && lateFragmenter.Prefix.HasAudioSequenceHeader);
            var bySequence = first.ToDictionary(s => s.Sequence);
            foreach (var slice in late.SkipLast(1))
            {
                Assert.True(bySequence.TryGetValue(slice.Sequence, out var same), $"slice {slice.Sequence} of the joiner is unknown to the first node");
                Assert.Equal(same.Root, slice.Root);
                Assert.Equal(same.Duration, slice.Duration);
            }
        }, iter: 40);
    }

    [Fact]
    public void No_keyframe_for_longer_than_the_minimum_makes_one_long_slice()
    {
        var builder = new FlvBuilder().Header().Metadata().AvcSequenceHeader();
        builder.Video(0, keyframe: true, 400);
        for (var t = 40L; t < 7000; t += 40)
        {
            builder.Video(t, keyframe: false, 400);
        }

        builder.Video(7000, keyframe: true, 400).Video(7040, keyframe: false, 400);
        var slices = Fragment(builder.ToArray(), [], out _);

        Assert.Equal(2, slices.Count);
        Assert.Equal(0, slices[0].Sequence);
        Assert.Equal(TimeSpan.FromSeconds(7), slices[0].Duration);
        Assert.Equal(3, slices[1].Sequence); // named by its grid cell: 7 s / 2 s
        Assert.Equal(builder.TagOffsets[2], slices[0].Offset);
        Assert.Equal(slices[0].End(), slices[1].Offset);
    }

    [Fact]
    public void A_slice_that_would_outgrow_a_segment_continues_in_a_new_slice()
    {
        var builder = new FlvBuilder().Header().AvcSequenceHeader();
        builder.Video(0, keyframe: true, 1 << 20);
        for (var t = 40L; t < 40 * 20; t += 40)
        {
            builder.Video(t, keyframe: false, 1 << 20);
        }

        var slices = Fragment(builder.ToArray(), [], out _);
        Assert.Equal(2, slices.Count);
        Assert.True(slices[0].StartsAtKeyframe);
        Assert.False(slices[1].StartsAtKeyframe);
        Assert.Equal(1, slices[1].Sequence);
        Assert.All(slices, s => Assert.True(s.Length <= 16 << 20));
    }

    [Fact]
    public void The_sample_stream_becomes_keyframe_slices_that_play_after_the_prefix()
    {
        var bytes = File.ReadAllBytes(Samples.Find("live.flv"));
        var slices = Fragment(bytes, [], out var fragmenter);
        Assert.True(slices.Count >= 3, $"{slices.Count} slices");
        Assert.All(slices.SkipLast(1), s => Assert.True(s.Duration >= TimeSpan.FromSeconds(2)));

        // A late joiner's byte stream: prefix, then slices from the second on. It must read as a well-formed FLV
        // whose first media tag is a keyframe.
        var stream = new List<byte>(fragmenter.Prefix.ToArray());
        foreach (var slice in slices.Skip(1))
        {
            stream.AddRange(bytes.AsSpan((int)slice.Offset, (int)slice.Length));
        }

        var tags = new List<FlvTag>();
        Assert.True(new FlvTagReader().TryFeed(stream.ToArray(), tags, out var error), error);
        Assert.True(tags.First(t => t.Type == FlvTagType.Video && !t.IsSequenceHeader).IsKeyframe);
        Assert.Equal(3, tags.TakeWhile(t => t.Type == FlvTagType.Script || t.IsSequenceHeader).Count());
    }

    [Fact]
    public void Malformed_input_stops_the_fragmenter_with_a_reason()
    {
        var bytes = FlvBuilder.Live(0, 5000, 1000, _ => 100).ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(bytes.Length - 4), 1);
        var fragmenter = new FlvLiveFragmenter(Options);
        Assert.False(fragmenter.TryFeed(bytes, new List<FlvSlice>(), out var error));
        Assert.Contains("PreviousTagSize", error, StringComparison.Ordinal);
        Assert.False(fragmenter.TryFeed([1, 2, 3], new List<FlvSlice>(), out _));
    }
}

internal static class FlvSliceExtensions
{
    public static long End(this FlvSlice slice) => slice.Offset + slice.Length;
}
