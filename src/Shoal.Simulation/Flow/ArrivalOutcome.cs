using System.Runtime.InteropServices;

namespace Shoal.Simulation.Flow;

/// <summary>What the receivers' phase of a step found for one arrival, for the phase after it (see FlowRun.Arrivals).</summary>
/// <remarks>
/// A cache line each: the workers fill the outcomes of their own receivers, which alternate through the array, and
/// outcomes sharing a line would bounce it between the cores at every write.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal struct ArrivalOutcome
{
    /// <summary>The receiver is still in the session the flow was asked for.</summary>
    public bool Live;

    /// <summary>The receiver held the piece already (another copy came first).</summary>
    public bool Duplicate;

    /// <summary>The worker whose <see cref="ArrivalScratch"/> holds the ranges below.</summary>
    public int Worker;

    public int OthersFrom;

    public int OthersTo;

    public int SegmentsFrom;

    public int SegmentsTo;
}
