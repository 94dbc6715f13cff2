using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>The pieces this node already holds, verified: the scheduler never asks for them again.</summary>
internal interface IPieceHoldings
{
    bool Has(PieceId key);

    bool IsComplete(long segment);
}
