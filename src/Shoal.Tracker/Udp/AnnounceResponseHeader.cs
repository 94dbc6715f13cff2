namespace Shoal.Tracker.Udp;

/// <summary>The fixed 20-byte head of a BEP 15 announce response; the compact peers follow it.</summary>
public readonly record struct AnnounceResponseHeader(int TransactionId, int Interval, int Leechers, int Seeders);
