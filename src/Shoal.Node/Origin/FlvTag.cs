namespace Shoal.Node.Origin;

/// <summary>One tag of an FLV file (Adobe FLV spec v10.1 §E.4): where it lies, its kind and timestamp.</summary>
internal readonly record struct FlvTag(int Offset, int Length, byte Type, uint Timestamp, bool IsKeyframe, bool IsSequenceHeader)
{
    public const byte Audio = 8;
    public const byte Video = 9;
    public const byte Script = 18;
}
