using Shoal.Core.Identity;
using Shoal.Core.Integrity;
using Shoal.Core.Manifests;

namespace Shoal.Simulation.Scenarios;

/// <summary>
/// The bytes a scenario's origin serves and the manifests that describe them: deterministic random segments (one
/// seed, one content), their Merkle roots, and for live the publication time of each segment and the sliding manifest.
/// </summary>
internal sealed class ScenarioContent
{
    private const string FileUri = "file.bin";

    private readonly Scenario _scenario;
    private readonly List<SegmentEntry> _entries = [];
    private readonly Dictionary<string, byte[]> _bodies = [];
    private readonly List<double> _publishedAt = [];

    public ScenarioContent(Scenario scenario)
    {
        _scenario = scenario;
        Rid = Rid.ForUrl($"http://origin.sim/{scenario.Name}/{scenario.Kind.ToString().ToLowerInvariant()}");
        PieceSize = scenario.PieceKib * 1024;
        var random = new Random(scenario.Seed * 7919 + 17);
        switch (scenario.Kind)
        {
            case ScenarioKind.File:
                BuildFile(random);
                break;
            case ScenarioKind.Live:
                // Enough segments already out at t = 0 for the first viewers to start lag_s behind the edge.
                Prepublished = (int)Math.Ceiling(scenario.LagSeconds / scenario.SegmentSeconds) + 3;
                BuildMedia(random, Prepublished + (int)Math.Ceiling(scenario.DurationSeconds / scenario.SegmentSeconds) + 1);
                break;
            default:
                BuildMedia(random, (int)Math.Ceiling((scenario.MediaSeconds ?? scenario.DurationSeconds) / scenario.SegmentSeconds));
                break;
        }
    }

    public Rid Rid { get; }

    public int PieceSize { get; }

    public int Prepublished { get; }

    public IReadOnlyList<SegmentEntry> Segments => _entries;

    public ResourceKind Kind => _scenario.Kind switch
    {
        ScenarioKind.Live => ResourceKind.HlsLive,
        ScenarioKind.Vod => ResourceKind.HlsVod,
        _ => ResourceKind.File,
    };

    /// <summary>Seconds (simulated) at which a live segment appears at the origin; 0 for content on demand.</summary>
    public double PublishedAt(long sequence) => _scenario.Kind == ScenarioKind.Live ? _publishedAt[(int)sequence] : 0;

    /// <summary>The bytes behind a URI, or null.</summary>
    public byte[]? Body(string uri) => _bodies.GetValueOrDefault(uri);

    /// <summary>A segment's true bytes (to count corrupt bytes delivered).</summary>
    public ReadOnlySpan<byte> TrueBytes(long sequence)
    {
        var entry = _entries[(int)sequence];
        return _scenario.Kind == ScenarioKind.File
            ? _bodies[FileUri].AsSpan((int)entry.Offset!.Value, (int)entry.Length)
            : _bodies[entry.Uri];
    }

    /// <summary>The manifest as a node sees it at <paramref name="seconds"/>: for live, the window of published segments.</summary>
    public Manifest ManifestAt(double seconds)
    {
        if (_scenario.Kind != ScenarioKind.Live) return new Manifest(Rid, Kind, _entries, PieceSize);
        var window = Math.Max(_scenario.LagSeconds * 3, 30);
        var published = _entries.Where(e => _publishedAt[(int)e.Sequence] <= seconds + 1e-9 && _publishedAt[(int)e.Sequence] > seconds - window);
        return new Manifest(Rid, Kind, published, PieceSize);
    }

    /// <summary>How many segments are published by <paramref name="seconds"/>.</summary>
    public int PublishedBy(double seconds) => _publishedAt.Count(t => t <= seconds + 1e-9);

    private void BuildMedia(Random random, int count)
    {
        var length = (long)(_scenario.StreamKbps * 1000 / 8 * _scenario.SegmentSeconds);
        var duration = TimeSpan.FromMicroseconds((long)(_scenario.SegmentSeconds * 1_000_000));
        for (var k = 0; k < count; k++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            var uri = $"seg{k}.ts";
            _bodies[uri] = bytes;
            _entries.Add(new SegmentEntry(k, uri, null, length, duration, MerkleHash.SegmentRoot(MerkleHashFunction.Sha256, bytes)));
            _publishedAt.Add((k + 1 - Prepublished) * _scenario.SegmentSeconds);
        }
    }

    private void BuildFile(Random random)
    {
        var total = (long)(_scenario.FileMib * 1024 * 1024);
        var segment = (long)(_scenario.FileSegmentMib * 1024 * 1024);
        var bytes = new byte[total];
        random.NextBytes(bytes);
        _bodies[FileUri] = bytes;
        for (long offset = 0, k = 0; offset < total; offset += segment, k++)
        {
            var length = Math.Min(segment, total - offset);
            _entries.Add(new SegmentEntry(k, FileUri, offset, length, null, MerkleHash.SegmentRoot(MerkleHashFunction.Sha256, bytes.AsSpan((int)offset, (int)length))));
            _publishedAt.Add(0);
        }
    }
}
