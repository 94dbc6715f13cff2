namespace Shoal.Tracker.Client;

/// <summary>The byte counters a node reports with an announce (BEP 15's downloaded, left and uploaded).</summary>
public readonly record struct TransferStats(long Downloaded, long Left, long Uploaded)
{
    /// <summary>A node that has all of a resource (a seeder, BEP 15 left = 0).</summary>
    public static TransferStats Seeding(long uploaded = 0) => new(0, 0, uploaded);
}
