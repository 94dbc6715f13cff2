using System.Collections.Concurrent;

namespace Shoal.Node.Origin;

/// <summary>What the demo origin has served, so tests and demos can measure offload (DESIGN.md, QoS).</summary>
public sealed class OriginStats
{
    private long _bytesServed;
    private long _requests;
    private long _liveSegmentBytes;
    private readonly ConcurrentDictionary<string, long> _bytesByAgent = new(StringComparer.Ordinal);

    /// <summary>Distinct client names counted apart; later ones share <see cref="OtherAgent"/>, so clients cannot grow the table.</summary>
    public const int MaxAgents = 16;

    public const string OtherAgent = "other";

    public const string NoAgent = "none";

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Bytes of live-channel media segments served (playlists excluded).</summary>
    public long LiveSegmentBytes => Interlocked.Read(ref _liveSegmentBytes);

    /// <summary>
    /// Bytes served per client, by the first product token of its User-Agent (shoal-node, shoal-oracle, curl...): it
    /// tells the mapping service's one fetch of each segment apart from the nodes' fetches.
    /// </summary>
    public IReadOnlyDictionary<string, long> BytesByAgent => new Dictionary<string, long>(_bytesByAgent, StringComparer.Ordinal);

    internal void AddBytes(long count) => Interlocked.Add(ref _bytesServed, count);

    internal void AddBytes(string agent, long count)
    {
        AddBytes(count);
        if (!_bytesByAgent.ContainsKey(agent) && _bytesByAgent.Count >= MaxAgents)
        {
            agent = OtherAgent;
        }

        _bytesByAgent.AddOrUpdate(agent, count, (_, total) => total + count);
    }

    /// <summary>The first product token of a User-Agent header, lower-cased and bounded ("shoal-node/1.0 (x)" → "shoal-node").</summary>
    internal static string AgentOf(string? userAgent)
    {
        var text = userAgent?.Trim() ?? string.Empty;
        var end = text.IndexOfAny([' ', '/', '(']);
        var token = (end < 0 ? text : text[..end]).ToLowerInvariant();
        return token.Length == 0 ? NoAgent : token.Length > 32 ? token[..32] : token;
    }

    internal void AddRequest() => Interlocked.Increment(ref _requests);

    internal void AddLiveSegmentBytes(long count) => Interlocked.Add(ref _liveSegmentBytes, count);
}
