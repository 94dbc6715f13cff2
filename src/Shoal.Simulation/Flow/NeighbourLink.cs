using Shoal.Engine;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>What one node measures of one neighbour: RTT, service rate, bytes each way, when it last asked us.</summary>
internal sealed class NeighbourLink(TimeSpan rtt, Instant since)
{
    private const double ServiceRateSmoothing = 0.25;

    public TimeSpan Rtt { get; } = rtt;

    public Instant ConnectedSince { get; } = since;

    /// <summary>The neighbour's link to this node (links are made and dropped in pairs, see FlowRun.Connect).</summary>
    public NeighbourLink? Back { get; set; }

    public SmoothedRate Download { get; } = new(TimeSpan.FromSeconds(5));

    private double _serviceRate;
    private bool _chokesMe;
    private LinkTable? _table;
    private int _slot;

    /// <summary>Bytes per second one piece took to arrive, smoothed; pipelined pieces count from the previous arrival (as the engine does).</summary>
    public double ServiceRate
    {
        get => _serviceRate;
        private set
        {
            _serviceRate = value;
            _table?.Mirror(_slot, this);
        }
    }

    public Instant? LastDelivery { get; private set; }

    public long BytesFromThem { get; set; }

    public long BytesToThem { get; set; }

    public Instant? LastRequestFromThem { get; set; }

    /// <summary>The neighbour's requests to this node, in arrival order; the head is being sent (null: none yet).</summary>
    public List<Transfer>? Uploads { get; set; }

    /// <summary>This node chokes the neighbour (only one that asked; see the engine's Rechoke): it ignores their requests.</summary>
    public bool ChokingThem { get; set; }

    /// <summary>The neighbour chokes this node (a copy of its side's state, so a planning pass need not visit it).</summary>
    public bool ChokesMe
    {
        get => _chokesMe;
        set
        {
            _chokesMe = value;
            _table?.Mirror(_slot, this);
        }
    }

    /// <summary>The table holding the link copies what a planning pass reads of it (see <see cref="LinkTable"/>).</summary>
    internal void Attach(LinkTable? table, int slot)
    {
        _table = table;
        _slot = slot;
    }

    public void Delivered(Instant now, Instant requested, long length)
    {
        var start = LastDelivery is { } last && last > requested ? last : requested;
        var seconds = Math.Max((now - start).TotalSeconds, 1e-3);
        var sample = length / seconds;
        ServiceRate = ServiceRate == 0 ? sample : ServiceRate + (ServiceRateSmoothing * (sample - ServiceRate));
        LastDelivery = now;
        BytesFromThem += length;
        Download.Add(now, length);
    }
}
