namespace Shoal.Tracker.Udp;

/// <summary>One info-hash's figures in a BEP 15 scrape response.</summary>
public readonly record struct ScrapeEntry(int Seeders, int Completed, int Leechers);
