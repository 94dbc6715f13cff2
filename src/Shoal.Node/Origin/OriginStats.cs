namespace Shoal.Node.Origin;

/// <summary>What the demo origin has served, so tests and demos can measure offload (DESIGN.md, QoS).</summary>
public sealed class OriginStats
{
    private long _bytesServed;
    private long _requests;
    private long _liveSegmentBytes;

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Bytes of live-channel media segments served (playlists excluded).</summary>
    public long LiveSegmentBytes => Interlocked.Read(ref _liveSegmentBytes);

    internal void AddBytes(long count) => Interlocked.Add(ref _bytesServed, count);

    internal void AddRequest() => Interlocked.Increment(ref _requests);

    internal void AddLiveSegmentBytes(long count) => Interlocked.Add(ref _liveSegmentBytes, count);
}
