using System.Buffers.Binary;
using System.Text.Json;
using Shoal.Core.Identity;
using Shoal.Tracker.Peers;
using Shoal.Tracker.Udp;
using StackExchange.Redis;

namespace Shoal.Tracker.State;

/// <summary>
/// An <see cref="ITrackerStore"/> in Redis, so that several tracker instances share one state and losing an instance
/// loses no swarm. An announce is one Lua script (one round trip, atomic): expire stale members, upsert or remove
/// the announcer, count, and draw a random sample (HRANDFIELD, Redis ≥ 6.2).
/// </summary>
/// <remarks>
/// Keys per swarm (the RID in braces keeps a swarm's keys in one cluster slot):
/// <c>{prefix}s:{rid}:p</c> hash endpoint → record, <c>:t</c> sorted set endpoint by last-seen ms (expiry),
/// <c>:d</c> set of seeders, <c>:x</c> set of super peers, <c>:c</c> completed counter; <c>{prefix}swarms</c> sorted
/// set of RIDs by last announce. A record is endpoint (18) ‖ peer id (20) ‖ left (8) ‖ last seen ms (8) ‖ super (1).
/// </remarks>
public sealed class RedisTrackerStore : ITrackerStore, IAsyncDisposable
{
    private const int EndpointLength = 18;
    private const int RecordLength = EndpointLength + PeerId.Length + 8 + 8 + 1;
    private const int ExpireBatch = 256;

    private const string AnnounceScript = """
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4], 'LIMIT', 0, 256)
        for i = 1, #expired do
          redis.call('HDEL', KEYS[1], expired[i]); redis.call('SREM', KEYS[3], expired[i]); redis.call('SREM', KEYS[4], expired[i])
        end
        if #expired > 0 then redis.call('ZREM', KEYS[2], unpack(expired)) end
        local ev = tonumber(ARGV[7])
        if ev == 3 then
          redis.call('HDEL', KEYS[1], ARGV[1]); redis.call('ZREM', KEYS[2], ARGV[1]); redis.call('SREM', KEYS[3], ARGV[1]); redis.call('SREM', KEYS[4], ARGV[1])
        else
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]); redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
          if ARGV[5] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) else redis.call('SREM', KEYS[3], ARGV[1]) end
          if ARGV[6] == '1' then redis.call('SADD', KEYS[4], ARGV[1]) else redis.call('SREM', KEYS[4], ARGV[1]) end
          if ev == 1 then redis.call('INCR', KEYS[5]) end
          redis.call('ZADD', KEYS[6], ARGV[3], ARGV[10])
          for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], ARGV[9]) end
        end
        local total = redis.call('ZCARD', KEYS[2])
        local seeds = redis.call('SCARD', KEYS[3])
        local completed = tonumber(redis.call('GET', KEYS[5]) or '0')
        local n = tonumber(ARGV[8])
        local members = {}
        local supers = {}
        if n > 0 and ev ~= 3 then
          members = redis.call('HRANDFIELD', KEYS[1], n, 'WITHVALUES')
          local s = redis.call('SRANDMEMBER', KEYS[4], n)
          if #s > 0 then supers = redis.call('HMGET', KEYS[1], unpack(s)) end
        end
        return {total, seeds, completed, members, supers}
        """;

    private const string SweepScript = """
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
        for i = 1, #expired do
          redis.call('HDEL', KEYS[1], expired[i]); redis.call('SREM', KEYS[3], expired[i]); redis.call('SREM', KEYS[4], expired[i])
        end
        if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1]) end
        if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('ZREM', KEYS[5], ARGV[2]) end
        return #expired
        """;

    private const string PutManifestScript = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1])
        local old = redis.call('ZRANGE', KEYS[2], 0, -(tonumber(ARGV[3]) + 1))
        for i = 1, #old do redis.call('HDEL', KEYS[1], old[i]) end
        if #old > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, #old - 1) end
        return #old
        """;

    private const string TakeJobsScript = """
        local jobs = redis.call('LRANGE', KEYS[1], 0, -1)
        redis.call('DEL', KEYS[1])
        return jobs
        """;

    private const string LeaseScript = """
        local holder = redis.call('GET', KEYS[1])
        if not holder or holder == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """;

    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly TimeSpan _peerLifetime;
    private readonly string _prefix;
    private readonly int _manifestHistory;

    private RedisTrackerStore(ConnectionMultiplexer connection, TimeSpan peerLifetime, string prefix, int manifestHistory)
    {
        _connection = connection;
        _db = connection.GetDatabase();
        _peerLifetime = peerLifetime;
        _prefix = prefix;
        _manifestHistory = manifestHistory;
    }

    /// <summary>Connects to Redis (<paramref name="configuration"/> is "HOST:PORT" or any StackExchange.Redis configuration string).</summary>
    public static async Task<RedisTrackerStore> ConnectAsync(string configuration, TimeSpan peerLifetime, string prefix = "shoal:", int manifestHistory = InMemoryTrackerStore.DefaultManifestHistory)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 5000;
        var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        if (!connection.IsConnected)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Cannot reach Redis at {configuration}.");
        }

        return new RedisTrackerStore(connection, peerLifetime, prefix, Math.Max(1, manifestHistory));
    }

    public async ValueTask<SwarmCounts> AnnounceAsync(Rid rid, PeerRecord peer, AnnounceEvent announceEvent, int sampleSize, PeerSample sample, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var nowMs = now.ToUnixTimeMilliseconds();
        var result = (RedisResult[])(await _db.ScriptEvaluateAsync(
            AnnounceScript,
            SwarmKeys(rid, withIndex: true),
            [
                EncodeEndpoint(peer.Endpoint),
                Encode(peer),
                nowMs,
                (now - _peerLifetime).ToUnixTimeMilliseconds(),
                peer.IsSeeder ? 1 : 0,
                peer.IsSuper ? 1 : 0,
                (int)announceEvent,
                sampleSize,
                (long)_peerLifetime.TotalMilliseconds,
                RidBytes(rid),
            ]).ConfigureAwait(false))!;
        var total = (int)result[0];
        var seeders = (int)result[1];
        var completed = (int)result[2];
        var members = (RedisResult[])result[3]!;
        for (var i = 1; i < members.Length; i += 2)
        {
            if (TryDecode((byte[]?)members[i], out var record))
            {
                sample.Members.Add(record);
            }
        }

        foreach (var value in (RedisResult[])result[4]!)
        {
            if (TryDecode((byte[]?)value, out var record))
            {
                sample.SuperPeers.Add(record);
            }
        }

        return new SwarmCounts(seeders, Math.Max(0, total - seeders), completed);
    }

    public async ValueTask<SwarmCounts> ScrapeAsync(Rid rid, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var keys = SwarmKeys(rid, withIndex: false);
        var batch = _db.CreateBatch();
        var live = batch.SortedSetLengthAsync(keys[1], (now - _peerLifetime).ToUnixTimeMilliseconds(), double.PositiveInfinity);
        var seeds = batch.SetLengthAsync(keys[2]);
        var completed = batch.StringGetAsync(keys[4]);
        batch.Execute();
        var total = (int)await live.ConfigureAwait(false);
        var seeders = Math.Min(total, (int)await seeds.ConfigureAwait(false));
        var done = await completed.ConfigureAwait(false);
        return new SwarmCounts(seeders, total - seeders, done.HasValue ? (int)done : 0);
    }

    public async ValueTask<IReadOnlyList<SwarmSummary>> ListSwarmsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var entries = await _db.SortedSetRangeByRankWithScoresAsync(_prefix + "swarms", 0, Math.Max(0, limit - 1), Order.Descending).ConfigureAwait(false);
        var list = new List<SwarmSummary>(entries.Length);
        foreach (var entry in entries)
        {
            var bytes = (byte[]?)entry.Element;
            if (bytes is not { Length: Rid.Length })
            {
                continue;
            }

            var rid = Rid.FromBytes(bytes);
            var counts = await ScrapeAsync(rid, now, cancellationToken).ConfigureAwait(false);
            if (counts.Seeders + counts.Leechers == 0)
            {
                continue;
            }

            var supers = await _db.SetLengthAsync(SwarmKeys(rid, withIndex: false)[3]).ConfigureAwait(false);
            list.Add(new SwarmSummary(rid, counts, (int)supers, DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score)));
        }

        return list;
    }

    public async ValueTask<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var cutoff = (now - _peerLifetime).ToUnixTimeMilliseconds();
        var removed = 0;
        foreach (var element in await _db.SortedSetRangeByRankAsync(_prefix + "swarms").ConfigureAwait(false))
        {
            var bytes = (byte[]?)element;
            if (bytes is not { Length: Rid.Length })
            {
                continue;
            }

            var keys = SwarmKeys(Rid.FromBytes(bytes), withIndex: false);
            removed += (int)await _db.ScriptEvaluateAsync(SweepScript, [keys[0], keys[1], keys[2], keys[3], _prefix + "swarms"], [cutoff, bytes]).ConfigureAwait(false);
        }

        return removed;
    }

    public async ValueTask PutMappingAsync(ResourceMapping mapping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        await _db.HashSetAsync(_prefix + "mappings", mapping.Rid.ToHex(), JsonSerializer.Serialize(mapping, RedisJson.Options)).ConfigureAwait(false);
    }

    public async ValueTask<ResourceMapping?> GetMappingAsync(Rid rid, CancellationToken cancellationToken = default)
    {
        var json = await _db.HashGetAsync(_prefix + "mappings", rid.ToHex()).ConfigureAwait(false);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<ResourceMapping>((string)json!, RedisJson.Options);
    }

    public async ValueTask<IReadOnlyList<ResourceMapping>> ListMappingsAsync(CancellationToken cancellationToken = default)
    {
        var all = await _db.HashValuesAsync(_prefix + "mappings").ConfigureAwait(false);
        return all.Select(v => JsonSerializer.Deserialize<ResourceMapping>((string)v!, RedisJson.Options)!).OrderBy(m => m.Created).ToList();
    }

    public async ValueTask PutManifestAsync(Rid rid, long updateNumber, ReadOnlyMemory<byte> signedManifest, CancellationToken cancellationToken = default)
    {
        var key = $"{_prefix}m:{{{rid.ToHex()}}}";
        await _db.ScriptEvaluateAsync(PutManifestScript, [key, key + ":n"], [updateNumber, signedManifest, _manifestHistory]).ConfigureAwait(false);
    }

    public async ValueTask<byte[]?> GetManifestAsync(Rid rid, long? updateNumber = null, CancellationToken cancellationToken = default)
    {
        var key = $"{_prefix}m:{{{rid.ToHex()}}}";
        if (updateNumber is null)
        {
            var latest = await _db.SortedSetRangeByRankAsync(key + ":n", -1, -1).ConfigureAwait(false);
            if (latest.Length == 0)
            {
                return null;
            }

            updateNumber = (long)latest[0];
        }

        var value = await _db.HashGetAsync(key, updateNumber.Value).ConfigureAwait(false);
        return value.IsNull ? null : (byte[]?)value;
    }

    public async ValueTask<byte[]> GetOrCreateSecretAsync(byte[] candidate, CancellationToken cancellationToken = default)
    {
        var key = _prefix + "secret";
        await _db.StringSetAsync(key, candidate, when: When.NotExists).ConfigureAwait(false);
        return (byte[])(await _db.StringGetAsync(key).ConfigureAwait(false))!;
    }

    public async ValueTask<bool> TryHoldLeaseAsync(string name, string owner, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        (int)await _db.ScriptEvaluateAsync(LeaseScript, [(RedisKey)(_prefix + "lease:" + name)], [owner, (long)ttl.TotalMilliseconds]).ConfigureAwait(false) == 1;

    public async ValueTask PutNodeStatusAsync(NodeStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        await _db.HashSetAsync(_prefix + "nodes", status.PeerId.ToHex(), JsonSerializer.Serialize(status, RedisJson.Options)).ConfigureAwait(false);
    }

    public async ValueTask<NodeStatus?> GetNodeStatusAsync(PeerId node, CancellationToken cancellationToken = default)
    {
        var json = await _db.HashGetAsync(_prefix + "nodes", node.ToHex()).ConfigureAwait(false);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<NodeStatus>((string)json!, RedisJson.Options);
    }

    public async ValueTask<IReadOnlyList<NodeStatus>> ListNodesAsync(CancellationToken cancellationToken = default)
    {
        var all = await _db.HashValuesAsync(_prefix + "nodes").ConfigureAwait(false);
        return all.Select(v => JsonSerializer.Deserialize<NodeStatus>((string)v!, RedisJson.Options)!).ToList();
    }

    public async ValueTask AddPushJobAsync(PeerId node, PushJob job, CancellationToken cancellationToken = default) =>
        await _db.ListRightPushAsync($"{_prefix}jobs:{node.ToHex()}", JsonSerializer.Serialize(job, RedisJson.Options)).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<PushJob>> TakePushJobsAsync(PeerId node, CancellationToken cancellationToken = default)
    {
        var jobs = (RedisResult[])(await _db.ScriptEvaluateAsync(TakeJobsScript, [(RedisKey)$"{_prefix}jobs:{node.ToHex()}"]).ConfigureAwait(false))!;
        return jobs.Select(j => JsonSerializer.Deserialize<PushJob>((string)j!, RedisJson.Options)!).ToList();
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private RedisKey[] SwarmKeys(Rid rid, bool withIndex)
    {
        var swarm = $"{_prefix}s:{{{rid.ToHex()}}}";
        RedisKey[] keys = [swarm + ":p", swarm + ":t", swarm + ":d", swarm + ":x", swarm + ":c"];
        return withIndex ? [.. keys, _prefix + "swarms"] : keys;
    }

    private static byte[] RidBytes(Rid rid)
    {
        var bytes = new byte[Rid.Length];
        rid.WriteTo(bytes);
        return bytes;
    }

    private static byte[] EncodeEndpoint(PeerEndpoint endpoint)
    {
        var bytes = new byte[EndpointLength];
        endpoint.WriteCompact(bytes, ipv6: true);
        return bytes;
    }

    private static byte[] Encode(in PeerRecord peer)
    {
        var bytes = new byte[RecordLength];
        peer.Endpoint.WriteCompact(bytes, ipv6: true);
        peer.PeerId.WriteTo(bytes.AsSpan(EndpointLength));
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(EndpointLength + PeerId.Length), peer.Left);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(EndpointLength + PeerId.Length + 8), peer.LastSeenUnixMs);
        bytes[^1] = peer.IsSuper ? (byte)1 : (byte)0;
        return bytes;
    }

    /// <summary>Decodes a stored record; anything of the wrong size (another version, corruption) is skipped.</summary>
    private static bool TryDecode(byte[]? bytes, out PeerRecord peer)
    {
        peer = default;
        if (bytes is not { Length: RecordLength })
        {
            return false;
        }

        peer = new PeerRecord(
            PeerEndpoint.ReadCompact(bytes, ipv6: true),
            PeerId.FromBytes(bytes.AsSpan(EndpointLength, PeerId.Length)),
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(EndpointLength + PeerId.Length)),
            bytes[^1] == 1,
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(EndpointLength + PeerId.Length + 8)));
        return true;
    }
}
