using System.Net;
using System.Runtime.CompilerServices;
using Shoal.Core.Identity;
using Shoal.Node.Gateway;
using Shoal.Node.Origin;
using Shoal.Node.Storage;

namespace Shoal.Node.Tests.Gateway;

public sealed class SingleFlightSegmentSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SegmentRequest Request(long sequence) =>
        new(new SegmentKey(Rid.ForUrl("http://origin.example/live/index.m3u8"), sequence), new Uri("http://origin.example/live/seg.ts"), null, Live: true);

    [Fact]
    public async Task Concurrent_reads_of_one_segment_share_one_upstream_read_and_each_gets_every_piece()
    {
        var upstream = new GatedSource();
        var source = new SingleFlightSegmentSource(upstream);
        var readers = Enumerable.Range(0, 5).Select(_ => ReadAllAsync(source, Request(7))).ToList();

        // Every reader is attached before the first piece exists; then the pieces trickle in.
        await upstream.WaitForReadersAsync(1);
        for (var i = 0; i < 4; i++)
        {
            upstream.Release(new byte[] { (byte)i, (byte)(i + 10) });
        }

        // A late reader joins mid-flight: it gets the pieces already read at once.
        var late = ReadAllAsync(source, Request(7));
        upstream.Finish();
        foreach (var bytes in await Task.WhenAll(readers.Append(late)))
        {
            Assert.Equal(new byte[] { 0, 10, 1, 11, 2, 12, 3, 13 }, bytes);
        }

        Assert.Equal(1, upstream.Reads);
        Assert.Equal(1, source.UpstreamReads);

        // Another segment gets its own read.
        var other = ReadAllAsync(source, Request(8));
        await upstream.WaitForReadersAsync(2);
        upstream.Finish();
        Assert.Empty(await other);
        Assert.Equal(2, upstream.Reads);
    }

    [Fact]
    public async Task A_failure_reaches_every_reader_and_the_last_reader_leaving_stops_the_upstream_read()
    {
        var upstream = new GatedSource();
        var source = new SingleFlightSegmentSource(upstream);
        var first = ReadAllAsync(source, Request(1));
        var second = ReadAllAsync(source, Request(1));
        await upstream.WaitForReadersAsync(1);
        upstream.Fail(new Shoal.Node.Fetching.OriginException("origin said 503"));
        Assert.Equal("origin said 503", (await Assert.ThrowsAsync<Shoal.Node.Fetching.OriginException>(() => first)).Message);
        await Assert.ThrowsAsync<Shoal.Node.Fetching.OriginException>(() => second);

        using var leave = new CancellationTokenSource();
        var abandoned = ReadAllAsync(source, Request(2), leave.Token);
        await upstream.WaitForReadersAsync(2);
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await upstream.Stopped.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Three_players_asking_the_gateway_for_one_live_segment_at_once_cost_the_origin_one_copy()
    {
        using var dir = new TempDirectory();
        var source = TestMedia.WriteHlsFolder(dir.Path, 4, 2.0, 400_000, seed: 41);
        // A slow origin (8 Mbit/s), so the three requests overlap: each alone would take 0.4 s.
        await using var origin = await OriginServer.StartAsync(new OriginServerOptions { Directory = dir.Path, Live = true, RateLimitBitsPerSecond = 8_000_000 }, TimeProvider.System, Ct);
        await using var node = await ShoalNode.StartAsync(new NodeOptions { Gateway = new GatewayOptions { Port = 0 } }, TimeProvider.System, cancellationToken: Ct);
        using var http = new HttpClient();
        var playlistUrl = node.GatewayUrlFor(origin.LivePlaylistUri.AbsoluteUri);
        var uri = (await http.GetStringAsync(playlistUrl, Ct)).Split('\n').Last(l => l.StartsWith("/o/", StringComparison.Ordinal));
        var sequence = long.Parse(uri[(uri.IndexOf("seq=", StringComparison.Ordinal) + 4)..].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture);
        var before = origin.Stats.LiveSegmentBytes;

        var bodies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => http.GetByteArrayAsync(new Uri(playlistUrl, uri), Ct)));

        var expected = source[(int)(sequence % source.Length)];
        Assert.All(bodies, b => Assert.Equal(expected, b));
        Assert.Equal(expected.Length, origin.Stats.LiveSegmentBytes - before);
        Assert.Equal(3L * expected.Length, node.Metrics.BytesToPlayers);
    }

    private static async Task<byte[]> ReadAllAsync(ISegmentSource source, SegmentRequest request, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Ct);
        var bytes = new List<byte>();
        await foreach (var piece in source.ReadAsync(request, linked.Token))
        {
            bytes.AddRange(piece.ToArray());
        }

        return [.. bytes];
    }

    /// <summary>An upstream whose pieces the test hands out one by one; it counts its reads.</summary>
    private sealed class GatedSource : ISegmentSource
    {
        private readonly System.Threading.Channels.Channel<object> _items = System.Threading.Channels.Channel.CreateUnbounded<object>();
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task Stopped => _stopped.Task;

        public void Release(byte[] piece) => _items.Writer.TryWrite(piece);

        public void Finish() => _items.Writer.TryWrite(Done);

        public void Fail(Exception e) => _items.Writer.TryWrite(e);

        public async Task WaitForReadersAsync(int reads)
        {
            while (Reads < reads)
            {
                await Task.Delay(10, Ct);
            }
        }

        public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(SegmentRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            // Recorded as the read ends, not by a callback on the token: the read's own cancellation may dispose such a
            // registration before the cancelling thread reaches it (callbacks run last-registered first), and the stop
            // would go unseen.
            try
            {
                while (true)
                {
                    var item = await _items.Reader.ReadAsync(cancellationToken);
                    switch (item)
                    {
                        case byte[] piece:
                            yield return piece;
                            break;
                        case Exception e:
                            throw e;
                        default:
                            yield break;
                    }
                }
            }
            finally
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    _stopped.TrySetResult();
                }
            }
        }

        private static readonly object Done = new();
    }
}
