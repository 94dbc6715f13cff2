namespace Shoal.Engine.Swarming;

/// <summary>
/// An HTTP range request the driver must make for the swarm: GET <see cref="Uri"/> with
/// <c>Range: bytes=Offset-(Offset+Length-1)</c>; the answer goes back through <see cref="Swarm.OriginCompleted"/>.
/// </summary>
/// <param name="Id">Given back in the <see cref="OriginResponse"/>.</param>
/// <param name="Uri">The segment's URI as the manifest lists it.</param>
/// <param name="Offset">The first byte, within what <paramref name="Uri"/> names.</param>
/// <param name="Length">Bytes wanted.</param>
/// <param name="Urgent">True when a deadline forced it (the driver may give it priority).</param>
public readonly record struct OriginRequest(long Id, string Uri, long Offset, long Length, bool Urgent);
