using Shoal.Protocol;

namespace Shoal.Engine.Channels;

/// <summary>A DATA message the owner enqueued that has not been sent yet.</summary>
internal readonly record struct QueuedData(ChunkSpec Chunks, ReadOnlyMemory<byte> Payload);
