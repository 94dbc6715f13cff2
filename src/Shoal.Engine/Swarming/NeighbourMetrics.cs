namespace Shoal.Engine.Swarming;

/// <summary>One neighbour's figures at a moment: its measured rate to us and from us, RTT, and totals.</summary>
public sealed record NeighbourMetrics(int Id, double DownloadRate, double UploadRate, TimeSpan? Rtt, long BytesFromThem, long BytesToThem, bool Choking, bool Throttled);
