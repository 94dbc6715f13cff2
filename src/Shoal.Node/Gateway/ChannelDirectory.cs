using System.Collections.Concurrent;

namespace Shoal.Node.Gateway;

/// <summary>Remembers the playlists and manifests players asked for, so the status and the dashboard can offer them.</summary>
public sealed class ChannelDirectory
{
    private readonly ConcurrentDictionary<string, Entry> _channels = new(StringComparer.Ordinal);
    private long _clock;

    public void Note(string originUrl, string gatewayPath, string kind, bool live)
    {
        var stamp = Interlocked.Increment(ref _clock);
        _channels.AddOrUpdate(originUrl,
            _ => new Entry(gatewayPath, kind, live, 1, stamp),
            (_, e) => e with { Kind = kind, Live = live, Requests = e.Requests + 1, LastUse = stamp });
    }

    public IReadOnlyList<ChannelStatus> Snapshot(Uri gateway, int max) =>
        _channels.OrderByDescending(c => c.Value.LastUse).Take(max)
            .Select(c => new ChannelStatus(c.Key, new Uri(gateway, c.Value.GatewayPath).AbsoluteUri, c.Value.Kind, c.Value.Live, c.Value.Requests))
            .ToList();

    private sealed record Entry(string GatewayPath, string Kind, bool Live, long Requests, long LastUse);
}
