using System.Security.Cryptography;

namespace Shoal.Core.Tests.Integrity;

/// <summary>
/// A deliberately naive Merkle root written straight from RFC 7574 §5.1 (recursion on byte ranges, no bins, no
/// buffers), against which the optimised code is checked.
/// </summary>
internal static class ReferenceMerkle
{
    public static byte[] Root(byte[] content, Func<byte[], byte[]> hash, int hashSize)
    {
        var chunks = (content.Length + 1023) / 1024;
        var width = 1;
        while (width < chunks)
        {
            width *= 2;
        }

        return Node(content, 0, width, chunks, hash, hashSize);
    }

    public static byte[] Sha256(byte[] data) => SHA256.HashData(data);

    private static byte[] Node(byte[] content, int firstChunk, int width, int chunks, Func<byte[], byte[]> hash, int hashSize)
    {
        if (firstChunk >= chunks)
        {
            return new byte[hashSize];
        }

        if (width == 1)
        {
            var start = firstChunk * 1024;
            return hash(content[start..Math.Min(content.Length, start + 1024)]);
        }

        var left = Node(content, firstChunk, width / 2, chunks, hash, hashSize);
        var right = Node(content, firstChunk + (width / 2), width / 2, chunks, hash, hashSize);
        return hash([.. left, .. right]);
    }
}
