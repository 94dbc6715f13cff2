using CsCheck;
using Shoal.Core.Content;
using Shoal.Core.Fragmentation;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Core.Tests.Fragmentation;

public sealed class FixedSizeFragmentationTests
{
    private static List<SegmentEntry> Stream(byte[] content, IEnumerable<int> cuts, FragmentationOptions options)
    {
        var fragmenter = new ByteStreamFragmenter("https://origin.example/file.bin", options);
        var entries = new List<SegmentEntry>();
        var position = 0;
        foreach (var cut in cuts.Append(content.Length))
        {
            var end = Math.Clamp(cut, position, content.Length);
            fragmenter.Append(content.AsSpan(position, end - position), entries);
            position = end;
        }

        fragmenter.Complete(entries);
        return entries;
    }

    [Fact]
    public void Streaming_fragmenter_agrees_with_the_arithmetic_one()
    {
        var gen = Gen.Select(Gen.Int[0, 300_000], Gen.Int[10, 13], Gen.Int[1, 8]).SelectMany((length, pieceBits, piecesPerSegment) =>
            Gen.Select(Gen.Byte.Array[length], Gen.Int[0, length].Array[0, 20], Gen.Const(new FragmentationOptions(SegmentSize: (1L << pieceBits) * piecesPerSegment, PieceSize: 1 << pieceBits))));
        gen.Sample((content, cuts, options) =>
        {
            var streamed = Stream(content, cuts.Order(), options);
            var computed = FixedSizeFragmenter.Cut(content.Length, options.SegmentSize).ToList();
            Assert.Equal(computed.Count, streamed.Count);
            for (var i = 0; i < computed.Count; i++)
            {
                var cut = computed[i];
                Assert.Equal(cut.Sequence, streamed[i].Sequence);
                Assert.Equal(cut.Offset, streamed[i].Offset);
                Assert.Equal(cut.Length, streamed[i].Length);
                Assert.Equal(MerkleHash.SegmentRoot(options.HashFunction, content.AsSpan((int)cut.Offset, (int)cut.Length)), streamed[i].Root);
            }
        }, iter: 60);
    }

    [Fact]
    public void Empty_file_has_no_segment_and_one_byte_file_has_one_piece()
    {
        Assert.Empty(Stream([], [], new FragmentationOptions()));
        Assert.Equal(0, FixedSizeFragmenter.SegmentCount(0, FragmentationOptions.DefaultSegmentSize));

        var one = Stream([7], [], new FragmentationOptions());
        var segment = Assert.Single(one);
        Assert.Equal(1, segment.Length);
        var layout = segment.Layout(SegmentLayout.DefaultPieceSize);
        Assert.Equal(1, layout.PieceCount);
        Assert.Equal(1, layout.PieceLength(0));
        Assert.Equal(1, layout.ChunkCount);
    }

    [Fact]
    public void Exact_multiples_of_the_piece_and_segment_size_have_no_short_tail()
    {
        var options = new FragmentationOptions(SegmentSize: 64 * 1024);
        var content = new byte[3 * 64 * 1024];
        var entries = Stream(content, [], options);
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(64 * 1024, e.Length));
        var layout = entries[^1].Layout(options.PieceSize);
        Assert.Equal(4, layout.PieceCount);
        Assert.Equal(16 * 1024, layout.PieceLength(3));

        var shortTail = new SegmentLayout((3 * 16 * 1024) + 1);
        Assert.Equal(4, shortTail.PieceCount);
        Assert.Equal(1, shortTail.PieceLength(3));
    }

    [Fact]
    public void Lengths_above_4_GiB_are_cut_alike_by_arithmetic_and_by_counting()
    {
        Gen.Select(Gen.Long[(4L << 30) - 5, 64L << 30], Gen.Int[0, 10]).Sample((length, sizeBits) =>
        {
            var segmentSize = 1L << (14 + sizeBits);
            var count = FixedSizeFragmenter.SegmentCount(length, segmentSize);
            var last = FixedSizeFragmenter.SegmentAt(length, segmentSize, count - 1);
            Assert.Equal(length, last.End);
            Assert.InRange(last.Length, 1, segmentSize);

            // Counting, as a node reading the stream would: same last segment, same segment for any byte offset.
            long counted = 0, position = 0, lastLength = 0;
            while (position < length)
            {
                lastLength = Math.Min(segmentSize, length - position);
                position += lastLength;
                counted++;
            }

            Assert.Equal(counted, count);
            Assert.Equal(lastLength, last.Length);
            Assert.Equal(count - 1, FixedSizeFragmenter.SegmentOf(length - 1, segmentSize));
        }, iter: 30);
    }

    [Fact]
    public void Media_segments_become_one_segment_each()
    {
        var index = 0;
        foreach (var path in Directory.GetFiles(Path.GetDirectoryName(Samples.Find("hls/index.m3u8"))!, "*.ts").Order())
        {
            var bytes = File.ReadAllBytes(path);
            Assert.True(MediaSegmentFragmenter.TryCut(index, Path.GetFileName(path), bytes, TimeSpan.FromSeconds(6.006), MerkleHashFunction.Sha256, out var entry, out var error), error);
            Assert.Equal(bytes.Length, entry.Length);
            Assert.Equal(TimeSpan.FromMicroseconds(6_006_000), entry.Duration);
            Assert.Equal(MerkleTree.Build(MerkleHashFunction.Sha256, bytes).Root, entry.Root);
            index++;
        }

        Assert.True(index > 0);
        var tooBig = new byte[ChunkAddressing.MaxSegmentLength + 1];
        Assert.False(MediaSegmentFragmenter.TryCut(0, "big.ts", tooBig, null, MerkleHashFunction.Sha256, out _, out var reason));
        Assert.Contains("16 MiB", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Segment_hasher_agrees_with_the_one_shot_root_under_any_split()
    {
        Gen.Int[0, 70_000].SelectMany(n => Gen.Select(Gen.Byte.Array[n], Gen.Int[0, n].Array[0, 30])).Sample((content, cuts) =>
        {
            var hasher = new SegmentHasher(MerkleHashFunction.Sha1);
            var position = 0;
            foreach (var cut in cuts.Order().Append(content.Length))
            {
                hasher.Append(content.AsSpan(position, cut - position));
                position = cut;
            }

            Assert.Equal(MerkleHash.SegmentRoot(MerkleHashFunction.Sha1, content), hasher.Finish());
            Assert.Equal(0, hasher.Length);
        }, iter: 60);
    }
}
