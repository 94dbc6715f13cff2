namespace Shoal.Core.Flv;

/// <summary>The type of an FLV tag (Adobe FLV specification v10.1, annex E.4.1).</summary>
public enum FlvTagType : byte
{
    Audio = 8,
    Video = 9,

    /// <summary>Script data: the onMetaData tag.</summary>
    Script = 18,
}
