using System.Collections;
using Shoal.Core.Content;

namespace Shoal.Engine.Scheduling;

/// <summary>
/// Adjacent pieces of one segment, as a value. An origin range's pieces are walked at every booking and completion, and
/// a LINQ range allocated an iterator and a delegate each time; a foreach over this uses its struct enumerator.
/// </summary>
public readonly struct PieceRun(long segment, int first, int count) : IEnumerable<PieceId>
{
    public int Count => count;

    public Enumerator GetEnumerator() => new(segment, first, count);

    IEnumerator<PieceId> IEnumerable<PieceId>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(long segment, int first, int count) : IEnumerator<PieceId>
    {
        private int _offset = -1;

        public readonly PieceId Current => new(segment, first + _offset);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_offset < count;

        public void Reset() => _offset = -1;

        public readonly void Dispose()
        {
        }
    }
}
