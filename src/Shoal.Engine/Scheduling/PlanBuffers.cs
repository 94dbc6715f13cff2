using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>
/// The working lists of one planning pass, one set per thread and cleared at the start of each pass: the flow-level
/// simulator runs millions of passes, and allocating these afresh each time cost more than some of the decisions. A
/// pass keeps none of them once it returns, so one set serves every scheduler the thread runs.
/// </summary>
internal sealed class PlanBuffers
{
    [ThreadStatic]
    private static PlanBuffers? t_current;

    public static PlanBuffers ForThisThread() => t_current ??= new PlanBuffers();

    public List<PieceCandidate> Urgent { get; } = [];

    public List<PieceCandidate> Window { get; } = [];

    public List<InFlightRequest> Requests { get; } = [];

    public List<(PieceId Key, bool Urgent)> ToOrigin { get; } = [];

    public List<PieceCandidate> Assignable { get; } = [];

    public List<PieceCandidate> Lost { get; } = [];

    /// <summary>The sort keys of <see cref="Assignable"/> (see <see cref="CandidateOrder.Sort"/>); grown, never cleared.</summary>
    public CandidateSortKey[] SortKeys = new CandidateSortKey[64];

    public List<(PieceCandidate Candidate, Instant? NeedBy, int Order)> MayDuplicate { get; } = [];

    public void Clear()
    {
        Urgent.Clear();
        Window.Clear();
        Requests.Clear();
        ToOrigin.Clear();
        Assignable.Clear();
        Lost.Clear();
        MayDuplicate.Clear();
    }
}
