namespace Shoal.Node.Fetching;

/// <summary>
/// A read-only view of a response body that fails a read which waits longer than the idle time-out, so a stalled
/// origin cannot hold a player forever; optionally skips a prefix and stops after a length (an origin that
/// ignored a Range header).
/// </summary>
internal sealed class IdleTimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idle;
    private readonly TimeProvider _time;
    private readonly Uri _url;
    private long _skip;
    private long _remaining;

    public IdleTimeoutStream(Stream inner, TimeSpan idle, TimeProvider time, Uri url, long skip = 0, long limit = long.MaxValue)
    {
        _inner = inner;
        _idle = idle;
        _time = time;
        _url = url;
        _skip = skip;
        _remaining = limit;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_skip > 0)
        {
            var scratch = new byte[(int)Math.Min(_skip, 64 * 1024)];
            var skipped = await ReadInnerAsync(scratch, cancellationToken).ConfigureAwait(false);
            if (skipped == 0)
            {
                return 0;
            }

            _skip -= skipped;
        }

        if (_remaining <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var n = await ReadInnerAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        _remaining -= n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var idle = new CancellationTokenSource(_idle, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, cancellationToken);
        try
        {
            return await _inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OriginException($"origin {_url} sent nothing for {_idle.TotalSeconds:0.#} s; transfer abandoned");
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginException($"origin {_url} broke off the transfer: {e.Message}", e);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginException($"origin {_url} broke off the transfer: {e.Message}", e);
        }
    }
}
