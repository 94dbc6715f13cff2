namespace Shoal.Dht.Lookups;

/// <summary>Where a lookup stands with one candidate node.</summary>
internal enum LookupCandidateState
{
    NotQueried,
    InFlight,
    Responded,
    Failed,
}
