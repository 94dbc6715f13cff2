using CsCheck;
using Shoal.Core.Flv;

namespace Shoal.Core.Tests.Flv;

public sealed class FlvTagReaderTests
{
    private static List<FlvTag> ReadAll(byte[] bytes, IEnumerable<int> cuts, out FlvTagReader reader)
    {
        reader = new FlvTagReader();
        var tags = new List<FlvTag>();
        var position = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            var end = Math.Clamp(cut, position, bytes.Length);
            Assert.True(reader.TryFeed(bytes.AsSpan(position, end - position), tags, out var error), error);
            position = end;
        }

        return tags;
    }

    [Fact]
    public void Reads_header_metadata_sequence_headers_and_keyframes()
    {
        var builder = new FlvBuilder().Header().Metadata().AvcSequenceHeader().AacSequenceHeader()
            .Video(0, keyframe: true, 500).Audio(10, 100).Video(40, keyframe: false, 300);
        var tags = ReadAll(builder.ToArray(), [], out var reader);

        Assert.Equal(13, reader.Header.Length);
        Assert.Equal([FlvTagType.Script, FlvTagType.Video, FlvTagType.Audio, FlvTagType.Video, FlvTagType.Audio, FlvTagType.Video], tags.Select(t => t.Type));
        Assert.Equal([false, true, true, false, false, false], tags.Select(t => t.IsSequenceHeader));
        Assert.Equal([false, false, false, true, false, false], tags.Select(t => t.IsKeyframe));
        Assert.Equal(builder.TagOffsets, tags.Select(t => t.Offset));
        Assert.Equal(40, tags[^1].Timestamp);
        Assert.False(tags[0].Bytes.IsEmpty);
        Assert.True(tags[3].Bytes.IsEmpty); // media data is not kept
        Assert.Equal(builder.ToArray().Length, reader.Position);
    }

    [Fact]
    public void Any_split_of_the_input_yields_the_same_tags()
    {
        var bytes = FlvBuilder.Live(0, 3000, 1000, t => 100 + (int)(t % 900)).ToArray();
        var whole = ReadAll(bytes, [], out _);
        Gen.Int[0, bytes.Length].Array[0, 40].Sample(cuts =>
        {
            var split = ReadAll(bytes, cuts.Order(), out _);
            Assert.Equal(whole.Count, split.Count);
            for (var i = 0; i < whole.Count; i++)
            {
                Assert.Equal(whole[i] with { Bytes = default }, split[i] with { Bytes = default });
                Assert.True(whole[i].Bytes.Span.SequenceEqual(split[i].Bytes.Span));
            }
        }, iter: 50);
    }

    [Fact]
    public void Extended_timestamps_and_wrap_around_unfold_to_64_bits()
    {
        var builder = new FlvBuilder().Header().Video(0xFFFF_FF00, keyframe: true, 10).Video(0x0000_0100, keyframe: false, 10);
        var tags = ReadAll(builder.ToArray(), [], out _);
        Assert.Equal(0xFFFF_FF00L, tags[0].Timestamp);
        Assert.Equal((1L << 32) + 0x100, tags[1].Timestamp);
    }

    [Fact]
    public void Malformed_streams_are_refused_with_a_reason_and_never_throw()
    {
        var reader = new FlvTagReader();
        Assert.False(reader.TryFeed("GIF89a-not-flv"u8, new List<FlvTag>(), out var error));
        Assert.Contains("does not start with \"FLV\"", error, StringComparison.Ordinal);

        var bytes = new FlvBuilder().Header().Video(0, true, 50).ToArray();
        bytes[^1] ^= 1; // PreviousTagSize wrong
        reader = new FlvTagReader();
        Assert.False(reader.TryFeed(bytes, new List<FlvTag>(), out error));
        Assert.Contains("PreviousTagSize", error, StringComparison.Ordinal);

        var good = FlvBuilder.Live(0, 500, 200, _ => 60).ToArray();
        Gen.Select(Gen.Int[0, good.Length - 1], Gen.Byte).Sample((position, value) =>
        {
            var corrupt = (byte[])good.Clone();
            corrupt[position] = value;
            new FlvTagReader().TryFeed(corrupt, new List<FlvTag>(), out _);
        });
    }

    [Fact]
    public void Reads_the_sample_FLV()
    {
        var path = Samples.Find("live.flv");
        var tags = ReadAll(File.ReadAllBytes(path), [], out var reader);
        Assert.Null(reader.Error);
        Assert.Contains(tags, t => t.Type == FlvTagType.Script);
        Assert.Contains(tags, t => t.Type == FlvTagType.Video && t.IsSequenceHeader);
        Assert.Contains(tags, t => t.Type == FlvTagType.Audio && t.IsSequenceHeader);
        Assert.True(tags.Count(t => t.IsKeyframe) >= 2);
        Assert.Equal(new FileInfo(path).Length, reader.Position);
    }
}
