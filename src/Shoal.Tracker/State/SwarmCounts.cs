namespace Shoal.Tracker.State;

/// <summary>A swarm's figures as BEP 15 reports them in announce and scrape responses.</summary>
public readonly record struct SwarmCounts(int Seeders, int Leechers, int Completed);
