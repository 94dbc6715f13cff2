namespace Shoal.Protocol.Tests;

/// <summary>The codec's hot path allocates nothing: counted with the runtime's per-thread allocation counter.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Writing_and_reading_a_datagram_of_every_message_type_allocates_nothing()
    {
        var buffer = new byte[4096];
        var payload = new byte[1024];
        var hash = new byte[32];
        var signature = new byte[64];
        var address = new byte[] { 192, 0, 2, 1 };
        var rid = new byte[20];
        var format = WireFormat.Shoal;

        int RoundTrip()
        {
            var writer = new DatagramWriter(buffer, 9, format);
            var ok = writer.TryWriteHandshake(77, new HandshakeOptions
            {
                Version = 1,
                MinimumVersion = 1,
                SwarmId = rid,
                ContentIntegrityProtectionMethod = ContentIntegrityProtectionMethod.MerkleHashTree,
                MerkleHashFunction = MerkleHashFunction.Sha256,
                ChunkAddressing = ChunkAddressingMethod.ChunkRanges32,
                SupportedMessages = SupportedMessages.Shoal,
                ChunkSize = 1024,
            })
                && writer.TryWriteHave(new ChunkSpec(0, 15)) && writer.TryWriteRequest(new ChunkSpec(16, 31)) && writer.TryWriteCancel(ChunkSpec.Single(3))
                && writer.TryWriteAck(ChunkSpec.Single(2), 1234) && writer.TryWriteIntegrity(new ChunkSpec(0, 1), hash)
                && writer.TryWriteSignedIntegrity(new ChunkSpec(0, 15), 99, signature) && writer.TryWriteChoke() && writer.TryWriteUnchoke()
                && writer.TryWritePexRequest() && writer.TryWritePexResponse(address, 6778) && writer.TryWriteExtension(ShoalExtensionId.Agent, rid)
                && writer.TryWriteData(ChunkSpec.Single(4), 42, payload);
            var count = ok ? 0 : -1000;
            if (!DatagramReader.TryOpen(writer.Written, format, out var reader, out _))
            {
                return -1;
            }

            while (reader.TryRead(out var message, out _))
            {
                count += message.Payload.Length > 0 ? 2 : 1;
            }

            return count;
        }

        var expected = RoundTrip(); // Warm up: JIT and static initialisation allocate once.
        Assert.Equal(17, expected); // 13 messages; the 4 with a payload (INTEGRITY, SIGNED_INTEGRITY, extension, DATA) count twice.
        var mismatches = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            mismatches += RoundTrip() == expected ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, mismatches);
        Assert.Equal(0, allocated);
    }
}
