namespace Shoal.Engine.Swarming;

/// <summary>The outcome of an <see cref="OriginRequest"/>: the bytes, or a failure (time-out, HTTP error, short body).</summary>
/// <param name="Id">The request's id.</param>
/// <param name="Succeeded">False when the origin failed; the swarm tries again later or elsewhere.</param>
/// <param name="Body">The bytes of the range (exactly the length asked for when it succeeded).</param>
public readonly record struct OriginResponse(long Id, bool Succeeded, ReadOnlyMemory<byte> Body);
