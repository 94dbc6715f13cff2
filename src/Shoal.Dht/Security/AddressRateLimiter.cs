using System.Net;

namespace Shoal.Dht.Security;

/// <summary>
/// A token bucket per source IP address, so one address flooding the node is answered at a bounded rate while
/// others are served; the number of tracked addresses is bounded too, so a spoofed-source flood cannot grow memory.
/// </summary>
public sealed class AddressRateLimiter(double perSecond, double burst, int maxAddresses)
{
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];

    public int TrackedAddresses => _buckets.Count;

    public bool TryAcquire(IPAddress address, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!_buckets.TryGetValue(address, out var bucket))
        {
            if (_buckets.Count >= maxAddresses && !SweepIdle(now))
            {
                return false;
            }

            bucket = new Bucket { Tokens = burst, Updated = now };
            _buckets[address] = bucket;
        }

        var elapsed = (now - bucket.Updated).TotalSeconds;
        if (elapsed > 0)
        {
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (elapsed * perSecond));
            bucket.Updated = now;
        }

        if (bucket.Tokens < 1)
        {
            return false;
        }

        bucket.Tokens -= 1;
        return true;
    }

    // Forgets addresses whose bucket has refilled: they carry no state worth keeping.
    private bool SweepIdle(TimeSpan now)
    {
        foreach (var (address, bucket) in _buckets.ToList())
        {
            if (bucket.Tokens + ((now - bucket.Updated).TotalSeconds * perSecond) >= burst)
            {
                _buckets.Remove(address);
            }
        }

        return _buckets.Count < maxAddresses;
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public TimeSpan Updated { get; set; }
    }
}
