using BenchmarkDotNet.Attributes;
using Shoal.Protocol;

namespace Shoal.Benchmarks.Protocol;

/// <summary>
/// Cost of the wire codec per datagram, against copying the same 1045 bytes (the floor any send path pays).
/// `dotnet run -c Release --project benchmarks/Shoal.Benchmarks -- --filter '*DatagramCodec*'`.
/// </summary>
[MemoryDiagnoser]
public class DatagramCodecBenchmarks
{
    private readonly byte[] _chunk = new byte[1024];
    private readonly byte[] _hash = new byte[32];
    private readonly byte[] _buffer = new byte[1350];
    private readonly byte[] _copy = new byte[1350];
    private readonly byte[] _rid = new byte[20];
    private byte[] _dataDatagram = [];
    private byte[] _controlDatagram = [];
    private byte[] _handshakeDatagram = [];

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_chunk);
        var writer = new DatagramWriter(_buffer, 7, WireFormat.Shoal);
        writer.TryWriteAck(new ChunkSpec(0, 15), 1234);
        writer.TryWriteIntegrity(new ChunkSpec(16, 31), _hash);
        writer.TryWriteData(ChunkSpec.Single(40), 99, _chunk);
        _dataDatagram = writer.Written.ToArray();

        writer = new DatagramWriter(_buffer, 7, WireFormat.Shoal);
        for (var i = 0u; i < 40; i++)
        {
            writer.TryWriteHave(new ChunkSpec(i * 16, (i * 16) + 15));
        }

        _controlDatagram = writer.Written.ToArray();
        writer = new DatagramWriter(_buffer, 0, WireFormat.Shoal);
        WriteHandshake(ref writer);
        _handshakeDatagram = writer.Written.ToArray();
    }

    [Benchmark(Baseline = true, Description = "memcpy 1045 B")]
    public int CopyDataDatagram()
    {
        _dataDatagram.AsSpan(0, 1045).CopyTo(_copy);
        return _copy[0];
    }

    [Benchmark(Description = "write ACK+INTEGRITY+DATA")]
    public int WriteDataDatagram()
    {
        var writer = new DatagramWriter(_buffer, 7, WireFormat.Shoal);
        writer.TryWriteAck(new ChunkSpec(0, 15), 1234);
        writer.TryWriteIntegrity(new ChunkSpec(16, 31), _hash);
        writer.TryWriteData(ChunkSpec.Single(40), 99, _chunk);
        return writer.BytesWritten;
    }

    [Benchmark(Description = "read ACK+INTEGRITY+DATA")]
    public int ReadDataDatagram() => ReadAll(_dataDatagram);

    [Benchmark(Description = "read 40 HAVEs")]
    public int ReadControlDatagram() => ReadAll(_controlDatagram);

    [Benchmark(Description = "write HANDSHAKE")]
    public int WriteHandshakeDatagram()
    {
        var writer = new DatagramWriter(_buffer, 0, WireFormat.Shoal);
        WriteHandshake(ref writer);
        return writer.BytesWritten;
    }

    [Benchmark(Description = "read HANDSHAKE")]
    public int ReadHandshakeDatagram() => ReadAll(_handshakeDatagram);

    private static int ReadAll(byte[] datagram)
    {
        DatagramReader.TryOpen(datagram, WireFormat.Shoal, out var reader, out _);
        var sum = 0;
        while (reader.TryRead(out var message, out _))
        {
            sum += (int)message.Type + message.Payload.Length;
        }

        return sum;
    }

    private void WriteHandshake(ref DatagramWriter writer) => writer.TryWriteHandshake(0x11223344, new HandshakeOptions
    {
        Version = 1,
        MinimumVersion = 1,
        SwarmId = _rid,
        ContentIntegrityProtectionMethod = ContentIntegrityProtectionMethod.MerkleHashTree,
        MerkleHashFunction = MerkleHashFunction.Sha256,
        ChunkAddressing = ChunkAddressingMethod.ChunkRanges32,
        SupportedMessages = SupportedMessages.Shoal,
        ChunkSize = 1024,
    });
}
