namespace Shoal.Protocol;

/// <summary>What a Shoal extension envelope (message type 0xF0) carries; unknown ids are skipped by their length.</summary>
public enum ShoalExtensionId : byte
{
    /// <summary>The sender's implementation name and version, UTF-8, for diagnostics only (e.g. "shoal/0.1.0").</summary>
    Agent = 0,
}
