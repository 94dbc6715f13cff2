using System.Net;
using Shoal.Engine;
using Shoal.Engine.Swarming;

namespace Shoal.Node.Swarming;

/// <summary>
/// Lets the UDP driver drive a <see cref="Swarm"/> and, after every datagram and timer, hands the swarm's other
/// outputs (verified pieces, origin requests) to its session: the polling order the swarm documents.
/// </summary>
internal sealed class SwarmEngineAdapter(Swarm swarm, Action<Instant> afterInput) : IDatagramEngine
{
    public Instant? NextWakeUp => swarm.NextWakeUp;

    public void Receive(Instant now, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        swarm.Receive(now, from, datagram);
        afterInput(now);
    }

    public void WakeUp(Instant now)
    {
        swarm.WakeUp(now);
        afterInput(now);
    }

    public bool TryPollTransmit(Instant now, Span<byte> buffer, out IPEndPoint to, out int length) =>
        swarm.TryPollTransmit(now, buffer, out to, out length);
}
