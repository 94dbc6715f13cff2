using System.Buffers.Binary;

namespace Shoal.Core.Flv;

/// <summary>
/// Reads an FLV byte stream incrementally (an HTTP-FLV live stream arrives in arbitrary pieces): the file header, then
/// each tag's header, with keyframes and AVC/HEVC/AAC sequence headers recognised. It keeps only what it must: the
/// current header, and the bodies of script tags and sequence headers; media data is counted, not copied.
/// </summary>
/// <remarks>
/// Layout (Adobe FLV v10.1, annex E): header "FLV" | version 1 | flags (4 = audio, 1 = video) | header size (u32 = 9),
/// then PreviousTagSize0 (u32 = 0), then tags: type (u8) | data size (u24) | timestamp (u24) | timestamp extended (u8,
/// the high byte) | stream id (u24 = 0) | data | PreviousTagSize (u32 = 11 + data size).
/// </remarks>
public sealed class FlvTagReader
{
    /// <summary>Bytes of the FLV file header plus PreviousTagSize0.</summary>
    public const int FileHeaderLength = 9 + PreviousTagSizeLength;

    /// <summary>Bytes of a tag header.</summary>
    public const int TagHeaderLength = 11;

    /// <summary>Bytes of the PreviousTagSize field after each tag.</summary>
    public const int PreviousTagSizeLength = 4;

    /// <summary>Script tags larger than this are refused: metadata is small, and the reader keeps it in memory.</summary>
    public const int MaxKeptTagData = 1 << 20;

    private const int FileHeaderBodyLength = 9;
    private const byte AvcCodec = 7;
    private const byte HevcCodec = 12;
    private const byte AacFormat = 10;
    private const byte KeyFrameType = 1;
    private const byte EnhancedVideoFlag = 0x80;
    private const byte EnhancedSequenceStart = 0;

    private readonly byte[] _header = new byte[FileHeaderLength];
    private State _state = State.FileHeader;
    private int _filled;
    private byte[] _kept = [];
    private long _tagOffset;
    private FlvTagType _tagType;
    private int _dataSize;
    private long _timestamp;
    private long _lastTimestamp = -1;
    private byte _first;
    private byte _second;
    private bool _keep;
    private bool _decided;

    private enum State
    {
        FileHeader,
        TagHeader,
        TagData,
        PreviousTagSize,
        Failed,
    }

    /// <summary>Bytes consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>True once the file header has been read.</summary>
    public bool HasHeader => !Header.IsEmpty;

    /// <summary>Stream offset where the tag now being read starts (0 before the file header is complete).</summary>
    public long CurrentTagOffset => _tagOffset;

    /// <summary>The file header and PreviousTagSize0 (13 bytes), once read.</summary>
    public ReadOnlyMemory<byte> Header { get; private set; }

    /// <summary>Why the stream was refused; null while it is well-formed. Once set, further input is ignored.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Consumes <paramref name="data"/> and adds every tag completed by it to <paramref name="completed"/>. Returns
    /// false (with <see cref="Error"/> set) when the stream is malformed.
    /// </summary>
    public bool TryFeed(ReadOnlySpan<byte> data, ICollection<FlvTag> completed, out string error)
    {
        ArgumentNullException.ThrowIfNull(completed);
        while (!data.IsEmpty && _state != State.Failed)
        {
            var taken = _state switch
            {
                State.FileHeader => FillHeader(data, FileHeaderLength),
                State.TagHeader => FillHeader(data, TagHeaderLength),
                State.TagData => ConsumeData(data),
                _ => FillHeader(data, PreviousTagSizeLength),
            };
            data = data[taken..];
            Position += taken;
            Advance(completed);
        }

        error = Error ?? string.Empty;
        return Error is null;
    }

    private int FillHeader(ReadOnlySpan<byte> data, int length)
    {
        var taken = Math.Min(length - _filled, data.Length);
        data[..taken].CopyTo(_header.AsSpan(_filled));
        _filled += taken;
        return taken;
    }

    private int ConsumeData(ReadOnlySpan<byte> data)
    {
        var taken = Math.Min(_dataSize - _filled, data.Length);
        var slice = data[..taken];
        if (_filled == 0 && taken > 0)
        {
            _first = slice[0];
        }

        if (_filled <= 1 && _filled + taken > 1)
        {
            _second = slice[1 - _filled];
        }

        if (!_decided && _filled + taken >= Math.Min(2, _dataSize))
        {
            // Whether an audio/video tag is a sequence header shows in its first two data bytes: only then is it kept.
            _decided = true;
            if (IsSequenceHeader())
            {
                if (_dataSize > MaxKeptTagData)
                {
                    Fail($"The sequence header at offset {_tagOffset} is {_dataSize} bytes; over {MaxKeptTagData} is refused.");
                    return taken;
                }

                StartKeeping();
                if (_filled == 1)
                {
                    _kept[TagHeaderLength] = _first;
                }
            }
        }

        if (_keep)
        {
            slice.CopyTo(_kept.AsSpan(TagHeaderLength + _filled));
        }

        _filled += taken;
        return taken;
    }

    private void StartKeeping()
    {
        _keep = true;
        _kept = new byte[TagHeaderLength + _dataSize + PreviousTagSizeLength];
        _header.AsSpan(0, TagHeaderLength).CopyTo(_kept);
    }

    private void Advance(ICollection<FlvTag> completed)
    {
        switch (_state)
        {
            case State.FileHeader when _filled == FileHeaderLength:
                ReadFileHeader();
                break;
            case State.TagHeader when _filled == TagHeaderLength:
                ReadTagHeader();
                break;
            case State.TagData when _filled == _dataSize:
                _state = State.PreviousTagSize;
                _filled = 0;
                break;
            case State.PreviousTagSize when _filled == PreviousTagSizeLength:
                CompleteTag(completed);
                break;
        }
    }

    private void ReadFileHeader()
    {
        var h = _header.AsSpan();
        if (h[0] != 'F' || h[1] != 'L' || h[2] != 'V')
        {
            Fail("Not an FLV stream: it does not start with \"FLV\".");
            return;
        }

        if (h[3] != 1)
        {
            Fail($"FLV version {h[3]} is not supported (only 1).");
            return;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(h[5..]) != FileHeaderBodyLength)
        {
            Fail($"The FLV header says it is {BinaryPrimitives.ReadUInt32BigEndian(h[5..])} bytes; version 1 headers are {FileHeaderBodyLength}.");
            return;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(h[FileHeaderBodyLength..]) != 0)
        {
            Fail("PreviousTagSize0 after the FLV header is not zero.");
            return;
        }

        Header = h.ToArray();
        _state = State.TagHeader;
        _filled = 0;
        _tagOffset = Position;
    }

    private void ReadTagHeader()
    {
        var h = _header.AsSpan(0, TagHeaderLength);
        if ((h[0] & 0x20) != 0)
        {
            Fail($"The tag at offset {_tagOffset} is encrypted (filter bit set); encrypted FLV is not supported.");
            return;
        }

        var type = (FlvTagType)(h[0] & 0x1F);
        if (type is not (FlvTagType.Audio or FlvTagType.Video or FlvTagType.Script))
        {
            Fail($"The tag at offset {_tagOffset} has the unknown type {h[0] & 0x1F}.");
            return;
        }

        _tagType = type;
        _dataSize = (h[1] << 16) | (h[2] << 8) | h[3];
        var raw = ((long)h[7] << 24) | ((long)h[4] << 16) | ((long)h[5] << 8) | h[6];
        _timestamp = Unwrap(raw);
        _first = 0;
        _second = 0;

        _keep = false;
        _decided = type == FlvTagType.Script || _dataSize == 0;
        if (type == FlvTagType.Script)
        {
            if (_dataSize > MaxKeptTagData)
            {
                Fail($"The script tag at offset {_tagOffset} is {_dataSize} bytes; metadata over {MaxKeptTagData} bytes is refused.");
                return;
            }

            StartKeeping();
        }

        _filled = 0;
        _state = _dataSize == 0 ? State.PreviousTagSize : State.TagData;
    }

    private void CompleteTag(ICollection<FlvTag> completed)
    {
        var previous = BinaryPrimitives.ReadUInt32BigEndian(_header);
        if (previous != (uint)(TagHeaderLength + _dataSize))
        {
            Fail($"The tag at offset {_tagOffset} is followed by PreviousTagSize {previous}, not {TagHeaderLength + _dataSize}: the stream is corrupt or truncated.");
            return;
        }

        var sequenceHeader = IsSequenceHeader();
        var keyframe = _tagType == FlvTagType.Video && _dataSize > 0 && !sequenceHeader && VideoFrameType() == KeyFrameType;
        ReadOnlyMemory<byte> bytes = default;
        if (_keep)
        {
            _header.AsSpan(0, PreviousTagSizeLength).CopyTo(_kept.AsSpan(TagHeaderLength + _dataSize));
            bytes = _kept;
        }

        completed.Add(new FlvTag(_tagOffset, _tagType, _dataSize, _timestamp, keyframe, sequenceHeader, bytes));
        _lastTimestamp = _timestamp;
        _kept = [];
        _keep = false;
        _filled = 0;
        _state = State.TagHeader;
        _tagOffset = Position;
    }

    private bool IsSequenceHeader()
    {
        if (_tagType == FlvTagType.Video && _dataSize >= 1)
        {
            if ((_first & EnhancedVideoFlag) != 0)
            {
                return (_first & 0x0F) == EnhancedSequenceStart; // Enhanced RTMP: PacketTypeSequenceStart
            }

            var codec = _first & 0x0F;
            return _dataSize >= 2 && (codec == AvcCodec || codec == HevcCodec) && _second == 0; // AVCPacketType 0
        }

        return _tagType == FlvTagType.Audio && _dataSize >= 2 && (_first >> 4) == AacFormat && _second == 0; // AACPacketType 0
    }

    private int VideoFrameType() => (_first & EnhancedVideoFlag) != 0 ? (_first >> 4) & 0x07 : _first >> 4;

    // FLV timestamps are 32-bit milliseconds and wrap after 49.7 days; a jump back of more than half the range is a wrap.
    private long Unwrap(long raw)
    {
        if (_lastTimestamp < 0)
        {
            return raw;
        }

        var candidate = (_lastTimestamp & ~0xFFFF_FFFFL) | raw;
        if (candidate < _lastTimestamp - (1L << 31))
        {
            candidate += 1L << 32;
        }
        else if (candidate > _lastTimestamp + (1L << 31) && candidate >= 1L << 32)
        {
            candidate -= 1L << 32;
        }

        return candidate;
    }

    private void Fail(string reason)
    {
        Error = reason;
        _state = State.Failed;
    }
}
