namespace Shoal.Core.Flv;

/// <summary>
/// What a player joining an HTTP-FLV live stream must receive before the first slice: the FLV header, the latest
/// onMetaData tag and the latest video and audio sequence headers (without them a decoder cannot start).
/// </summary>
public sealed class FlvLateJoinerPrefix
{
    private ReadOnlyMemory<byte> _header;
    private ReadOnlyMemory<byte> _metadata;
    private ReadOnlyMemory<byte> _videoSequenceHeader;
    private ReadOnlyMemory<byte> _audioSequenceHeader;

    /// <summary>True once the FLV header and a video sequence header or metadata have been seen.</summary>
    public bool IsReady => !_header.IsEmpty && (!_videoSequenceHeader.IsEmpty || !_metadata.IsEmpty);

    public bool HasVideoSequenceHeader => !_videoSequenceHeader.IsEmpty;

    public bool HasAudioSequenceHeader => !_audioSequenceHeader.IsEmpty;

    public bool HasMetadata => !_metadata.IsEmpty;

    /// <summary>Takes note of the stream's header (13 bytes: the FLV header and PreviousTagSize0).</summary>
    public void SetHeader(ReadOnlyMemory<byte> header) => _header = header;

    /// <summary>Keeps <paramref name="tag"/> if it is metadata or a sequence header (a later one replaces an earlier one).</summary>
    public void Observe(FlvTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Bytes.IsEmpty)
        {
            return;
        }

        switch (tag.Type)
        {
            case FlvTagType.Script:
                _metadata = tag.Bytes;
                break;
            case FlvTagType.Video when tag.IsSequenceHeader:
                _videoSequenceHeader = tag.Bytes;
                break;
            case FlvTagType.Audio when tag.IsSequenceHeader:
                _audioSequenceHeader = tag.Bytes;
                break;
        }
    }

    /// <summary>The prefix bytes: header, metadata, video sequence header, audio sequence header (those seen).</summary>
    public byte[] ToArray()
    {
        var result = new byte[_header.Length + _metadata.Length + _videoSequenceHeader.Length + _audioSequenceHeader.Length];
        var position = 0;
        foreach (var part in (ReadOnlyMemory<byte>[])[_header, _metadata, _videoSequenceHeader, _audioSequenceHeader])
        {
            part.Span.CopyTo(result.AsSpan(position));
            position += part.Length;
        }

        return result;
    }
}
