namespace Shoal.Node.Origin;

/// <summary>
/// A response body that counts what it sends and paces it through the server-wide <see cref="TokenBucket"/>
/// in slices, so a large file cannot burst past the limit.
/// </summary>
internal sealed class MeteredResponseStream(Stream inner, TokenBucket? bucket, Action<long> onSent, int sliceBytes) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var slice = buffer[..Math.Min(sliceBytes, buffer.Length)];
            if (bucket is not null)
            {
                await bucket.ConsumeAsync(slice.Length, cancellationToken).ConfigureAwait(false);
            }

            await inner.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            onSent(slice.Length);
            buffer = buffer[slice.Length..];
        }
    }
}
