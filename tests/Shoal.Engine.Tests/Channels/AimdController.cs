using Shoal.Engine.Congestion;

namespace Shoal.Engine.Tests.Congestion;

/// <summary>A loss-based, Reno-like controller (RFC 5681: slow start, +1 segment per window, halve on loss): the competing flow of the LEDBAT tests.</summary>
internal sealed class AimdController : ICongestionController
{
    private const int Mss = 1045;
    private double _cwnd = 2 * Mss;
    private double _ssthresh = double.MaxValue;

    public long CongestionWindow => (long)_cwnd;

    public void OnAck(Instant now, long bytesAcked, long bytesInFlight, TimeSpan? oneWayDelay)
    {
        if (_cwnd < _ssthresh)
        {
            _cwnd += bytesAcked;
        }
        else
        {
            _cwnd += (double)Mss * bytesAcked / _cwnd;
        }
    }

    public void OnCongestionEvent(Instant now)
    {
        _cwnd = Math.Max(_cwnd / 2, 2 * Mss);
        _ssthresh = _cwnd;
    }

    public void OnTimeout(Instant now)
    {
        _ssthresh = Math.Max(_cwnd / 2, 2 * Mss);
        _cwnd = 2 * Mss;
    }
}
