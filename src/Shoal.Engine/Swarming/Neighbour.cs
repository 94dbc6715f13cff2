using Shoal.Core.Content;
using Shoal.Core.Integrity;
using Shoal.Engine.Channels;
using Shoal.Engine.Scheduling;

namespace Shoal.Engine.Swarming;

/// <summary>What the swarm keeps about one neighbour beside its channel: choke state, uploads owed, pieces arriving.</summary>
internal sealed class Neighbour(NeighbourId id, PeerChannel channel, bool superPeer)
{
    /// <summary>
    /// Uncle hashes kept per segment from one neighbour: every bin above the piece layer of the segment's tree (the tree
    /// spans the piece count rounded up to a power of two, and has fewer than twice that many bins), so a whole
    /// segment's paths fit however large it is, and a neighbour cannot grow the table past the content. (A fixed 64
    /// held only a few pieces' paths of a 4 MiB file slice: later pieces from the same neighbour could not be verified,
    /// and were asked for again and again.)
    /// </summary>
    public static int MaxUnclesPerSegment(int pieceCount) => 2 * (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, pieceCount));

    public NeighbourId Id { get; } = id;

    public PeerChannel Channel { get; } = channel;

    public bool SuperPeer { get; } = superPeer;

    public bool Opened { get; set; }

    /// <summary>It sent CHOKE: our requests would be dropped (RFC 7574 §8.12).</summary>
    public bool ChokingUs { get; set; }

    /// <summary>We sent CHOKE: its requests are ignored.</summary>
    public bool ChokedByUs { get; set; }

    public Queue<PieceId> Uploads { get; } = new();

    public HashSet<PieceId> UploadSet { get; } = [];

    public Dictionary<PieceId, PieceAssembly> Assemblies { get; } = [];

    public Dictionary<long, Dictionary<Bin, Digest>> Uncles { get; } = [];

    public SmoothedRate Download { get; } = new(TimeSpan.FromSeconds(2));

    public SmoothedRate Upload { get; } = new(TimeSpan.FromSeconds(2));

    /// <summary>
    /// Its delivery rate when we keep it busy, bytes per second (0 until a piece arrived): each verified piece is a
    /// sample of its length over the time since it was asked for or since the previous piece landed, whichever is
    /// later, so pipelined requests measure the neighbour's capacity, not how much we happened to ask.
    /// </summary>
    public double ServiceRate { get; private set; }

    public Instant? LastDelivery { get; private set; }

    public void Delivered(Instant now, Instant requested, int length)
    {
        var start = LastDelivery is { } last && last > requested ? last : requested;
        var seconds = Math.Max((now - start).TotalSeconds, 1e-3);
        var sample = length / seconds;
        ServiceRate = ServiceRate == 0 ? sample : ServiceRate + ServiceRateSmoothing * (sample - ServiceRate);
        LastDelivery = now;
    }

    private const double ServiceRateSmoothing = 0.25;

    public long BytesFromThem { get; set; }

    public long BytesToThem { get; set; }

    public Instant? LastRequestFromThem { get; set; }

    public void RememberUncle(long segment, int pieceCount, Bin bin, Digest hash)
    {
        if (!Uncles.TryGetValue(segment, out var byBin)) Uncles[segment] = byBin = [];
        if (byBin.Count < MaxUnclesPerSegment(pieceCount) || byBin.ContainsKey(bin)) byBin[bin] = hash;
    }

    public IReadOnlyDictionary<Bin, Digest> UnclesOf(long segment) =>
        Uncles.TryGetValue(segment, out var byBin) ? byBin : new Dictionary<Bin, Digest>();
}
