using Shoal.Core.Identity;
using Shoal.Engine.Channels;
using Shoal.Protocol;
using Shoal.Simulation.Packet;

namespace Shoal.Engine.Tests.Channels;

/// <summary>The swarm, links and content every channel scenario shares.</summary>
internal static class TestSwarm
{
    public static Rid Id { get; } = Rid.ForUrl("https://origin.example/live/stream.m3u8");

    public static SwarmHandshake Handshake { get; } = new(Id);

    public static SwarmHandshake? Accept(InboundHandshake inbound) => inbound.SwarmId == Id ? Handshake : null;

    /// <summary>The 1 KiB content of chunk <paramref name="index"/>: distinct per chunk, so a mix-up is caught.</summary>
    public static byte[] Chunk(ulong index)
    {
        var bytes = new byte[1024];
        var state = (uint)(index * 2654435761UL) | 1;
        for (var i = 0; i < bytes.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            bytes[i] = (byte)state;
        }

        return bytes;
    }

    public static Link Lossy(long bitsPerSecond, double loss, TimeSpan delay, TimeSpan jitter = default, double duplicate = 0, int buffer = 256 * 1024) =>
        new(new LinkOptions
        {
            BitsPerSecond = bitsPerSecond,
            Delay = delay,
            LossRate = loss,
            Jitter = jitter,
            DuplicateRate = duplicate,
            BufferBytes = buffer,
        });

    /// <summary>Sends chunks [0, count) from <paramref name="channel"/>.</summary>
    public static void SendChunks(PeerChannel channel, ulong first, int count)
    {
        for (var i = first; i < first + (ulong)count; i++)
        {
            channel.SendData(ChunkSpec.Single(i), Chunk(i));
        }
    }

    /// <summary>Fails with the seed to replay when a scenario's condition does not hold.</summary>
    public static void Require(bool condition, PacketNetwork network, string what)
    {
        Assert.True(condition, $"{what} (seed {network.Seed}, t={network.Now}; replay with this seed)");
    }
}
