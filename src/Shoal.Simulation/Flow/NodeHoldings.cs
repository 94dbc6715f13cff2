using System.Numerics;
using Shoal.Core.Content;
using Shoal.Engine.Scheduling;

namespace Shoal.Simulation.Flow;

/// <summary>
/// The pieces one simulated node holds, as a ring of per-segment bitmaps: a live node keeps a sliding window, so a slot is
/// reused by a newer segment (the old one is then forgotten, like the engine's discard window); on demand the ring is as
/// long as the resource. Compact on purpose: 100,000 nodes each keep one.
/// </summary>
internal sealed class NodeHoldings : IPieceHoldings
{
    private readonly FlowResource _resource;
    private readonly long[] _sequenceAt;
    private readonly ulong[] _bits;
    private readonly short[] _held;
    private readonly int _words;
    private readonly int _mask;

    public NodeHoldings(FlowResource resource, int slots)
    {
        _resource = resource;
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, slots));
        _mask = capacity - 1;
        _words = WordsPerSegment(resource);
        _sequenceAt = new long[capacity];
        Array.Fill(_sequenceAt, -1);
        _bits = new ulong[capacity * _words];
        _held = new short[capacity];
    }

    public FlowResource Resource => _resource;

    /// <summary>How many 64-bit words one segment's bitmap takes.</summary>
    public static int WordsPerSegment(FlowResource resource) => (resource.MaxPiecesPerSegment + 63) / 64;

    /// <summary>A segment's bitmap, a bit per piece; empty when the node holds none of it.</summary>
    public ReadOnlySpan<ulong> WordsOf(long segment)
    {
        var slot = (int)(segment & _mask);
        return _sequenceAt[slot] == segment ? _bits.AsSpan(slot * _words, _words) : [];
    }

    public bool Has(PieceId key)
    {
        var slot = (int)(key.SegmentSequence & _mask);
        return _sequenceAt[slot] == key.SegmentSequence && (_bits[(slot * _words) + (key.PieceIndex >> 6)] & (1UL << key.PieceIndex)) != 0;
    }

    public bool IsComplete(long segment)
    {
        var slot = (int)(segment & _mask);
        return _sequenceAt[slot] == segment && _held[slot] == _resource.PieceCount(segment);
    }

    /// <summary>Records a piece; true when it was new.</summary>
    public bool Add(PieceId key)
    {
        var slot = (int)(key.SegmentSequence & _mask);
        if (_sequenceAt[slot] != key.SegmentSequence)
        {
            // An older segment than the one in the slot is not worth keeping (it fell out of the window).
            if (_sequenceAt[slot] > key.SegmentSequence) return false;
            _sequenceAt[slot] = key.SegmentSequence;
            Array.Clear(_bits, slot * _words, _words);
            _held[slot] = 0;
        }
        ref var word = ref _bits[(slot * _words) + (key.PieceIndex >> 6)];
        var bit = 1UL << key.PieceIndex;
        if ((word & bit) != 0) return false;
        word |= bit;
        _held[slot]++;
        return true;
    }
}
