namespace Shoal.Core.Flv;

/// <summary>One FLV tag as the reader saw it go by: where it sits in the stream and what kind of media it carries.</summary>
/// <param name="Offset">Stream offset of the tag's 11-byte header.</param>
/// <param name="Type">Audio, video or script.</param>
/// <param name="DataSize">Bytes of tag data after the header.</param>
/// <param name="Timestamp">Milliseconds, with the extended byte and 32-bit wrap-around unfolded into 64 bits.</param>
/// <param name="IsKeyframe">A video frame a decoder can start from (not a sequence header).</param>
/// <param name="IsSequenceHeader">An AVC/HEVC decoder configuration or an AAC AudioSpecificConfig.</param>
/// <param name="Bytes">The whole tag (header, data and the following PreviousTagSize) for script tags and sequence
/// headers, which a late joiner needs; empty for other tags, which are not kept.</param>
public sealed record FlvTag(long Offset, FlvTagType Type, int DataSize, long Timestamp, bool IsKeyframe, bool IsSequenceHeader, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>Bytes of the tag in the stream, including the PreviousTagSize field that follows it.</summary>
    public long TotalLength => FlvTagReader.TagHeaderLength + DataSize + FlvTagReader.PreviousTagSizeLength;

    /// <summary>Stream offset just past this tag and its PreviousTagSize.</summary>
    public long End => Offset + TotalLength;
}
