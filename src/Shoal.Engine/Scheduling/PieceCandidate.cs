using Shoal.Core.Content;
namespace Shoal.Engine.Scheduling;

/// <summary>A missing piece the scheduler may fetch: its deadline, length and how many neighbours hold it.</summary>
internal readonly record struct PieceCandidate(PieceId Key, Instant Deadline, int Length, int Holders);
