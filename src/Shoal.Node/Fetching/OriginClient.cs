using System.Net;
using System.Net.Http.Headers;

namespace Shoal.Node.Fetching;

/// <summary>
/// The node's HTTP client for origins: HTTP/1.1 or HTTP/2, range requests, retries with exponential back-off and
/// jitter on the failures that retrying can cure (network errors, time-outs, 5xx, 408, 429), time-outs on headers
/// and on a stalled body, and one-line <see cref="OriginException"/>s for the rest.
/// </summary>
public sealed class OriginClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly OriginClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private long _bytesReceived;
    private long _requests;
    private long _failures;

    public OriginClient(OriginClientOptions options, TimeProvider time, Random? random = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _random = random ?? new Random();
        _ownsHttp = true;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
        })
        {
            // Time-outs are ours (per attempt, via the TimeProvider), not HttpClient's single global one.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Opens <paramref name="url"/> (optionally a byte range of it) and returns once the headers are in.</summary>
    public async Task<OriginResponse> GetAsync(Uri url, ByteRange? range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        Exception? last = null;
        for (var attempt = 1; attempt <= Math.Max(1, _options.MaxAttempts); attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(Backoff(attempt - 1), _time, cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Increment(ref _requests);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (_options.PreferHttp2)
            {
                request.Version = HttpVersion.Version20;
                request.VersionPolicy = _options.Http2PriorKnowledge ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower;
            }

            if (range is { } r)
            {
                request.Headers.Range = new RangeHeaderValue(r.First, r.Last);
            }

            HttpResponseMessage? response = null;
            using var headersTimeout = new CancellationTokenSource(_options.HeadersTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(headersTimeout.Token, cancellationToken);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                if (IsRetryable(response.StatusCode))
                {
                    last = new OriginException($"origin {url} answered {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
                    response.Dispose();
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    response.Dispose();
                    throw Fail(new OriginException($"origin {url} has no bytes in {range} (416 Range Not Satisfiable)", HttpStatusCode.RequestedRangeNotSatisfiable));
                }

                if (!response.IsSuccessStatusCode)
                {
                    var status = response.StatusCode;
                    var reason = response.ReasonPhrase;
                    response.Dispose();
                    throw Fail(new OriginException($"origin {url} answered {(int)status} {reason}", status));
                }

                var raw = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var counted = new CountingReadStream(raw, n => Interlocked.Add(ref _bytesReceived, n));
                Stream body;
                if (range is { } wanted && response.StatusCode == HttpStatusCode.OK)
                {
                    // RFC 9110 §14.2: a server may ignore Range; take the wanted slice out of the full body.
                    body = new IdleTimeoutStream(counted, _options.BodyIdleTimeout, _time, url, wanted.First, wanted.Length);
                }
                else if (range is { } asked && response.StatusCode == HttpStatusCode.PartialContent
                    && response.Content.Headers.ContentRange is { From: { } from } && from != asked.First)
                {
                    response.Dispose();
                    throw Fail(new OriginException($"origin {url} answered range {response.Content.Headers.ContentRange} to a request for {asked}"));
                }
                else
                {
                    body = new IdleTimeoutStream(counted, _options.BodyIdleTimeout, _time, url);
                }

                return new OriginResponse(response, body);
            }
            catch (OperationCanceledException) when (headersTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                last = new OriginException($"origin {url} sent no response headers within {_options.HeadersTimeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException e)
            {
                response?.Dispose();
                last = new OriginException($"could not reach origin {url}: {e.Message}", e.StatusCode, e);
            }
        }

        throw Fail(new OriginException(
            $"{last?.Message ?? "origin request failed"} (gave up after {_options.MaxAttempts} attempts)",
            (last as OriginException)?.StatusCode, last));
    }

    /// <summary>Reads the whole of <paramref name="url"/> (or a range of it) into memory.</summary>
    public async Task<byte[]> GetBytesAsync(Uri url, ByteRange? range, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(url, range, cancellationToken).ConfigureAwait(false);
        using var buffer = response.ContentLength is { } n && n <= int.MaxValue ? new MemoryStream((int)n) : new MemoryStream();
        await response.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>
    /// Asks for the first byte of <paramref name="url"/> to learn its total length; null when the origin does not
    /// say (a live stream or a server without Range support that also sends no length).
    /// </summary>
    public async Task<ResourceProbe> ProbeAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(url, new ByteRange(0, 0), cancellationToken).ConfigureAwait(false);
        return new ResourceProbe(response.TotalLength, response.StatusCode == HttpStatusCode.PartialContent, response.ContentType);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        (int)status >= 500 || status == HttpStatusCode.RequestTimeout || status == HttpStatusCode.TooManyRequests;

    private OriginException Fail(OriginException e)
    {
        Interlocked.Increment(ref _failures);
        return e;
    }

    /// <summary>Exponential back-off with "equal jitter": half the step fixed, half random, so retries of many nodes spread out.</summary>
    private TimeSpan Backoff(int retry)
    {
        var step = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, retry - 1));
        double jitter;
        lock (_randomGate)
        {
            jitter = _random.NextDouble();
        }

        return TimeSpan.FromMilliseconds((step / 2) + (jitter * step / 2));
    }
}
