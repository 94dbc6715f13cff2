namespace Shoal.Dht.Bencode;

/// <summary>
/// Decodes bencode (BEP 3) from hostile input: every length is checked against the input that is actually
/// there and against <see cref="BencodeLimits"/> before anything is built, byte strings are slices of the
/// input (no copy), recursion is bounded by the depth limit, and every failure is a returned
/// <see cref="BencodeError"/>, never an exception.
/// </summary>
public static class BencodeDecoder
{
    // A long has at most 19 digits; one more for the sign.
    private const int MaxIntegerChars = 20;

    public static bool TryDecode(ReadOnlyMemory<byte> input, out BValue value, out BencodeError error) =>
        TryDecode(input, BencodeLimits.Default, out value, out error);

    public static bool TryDecode(ReadOnlyMemory<byte> input, BencodeLimits limits, out BValue value, out BencodeError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        value = null!;
        if (input.Length > limits.MaxInputBytes)
        {
            error = new(BencodeErrorKind.InputTooLarge, limits.MaxInputBytes);
            return false;
        }

        var state = new State(input, limits);
        if (!state.TryReadValue(0, out value, out error))
        {
            value = null!;
            return false;
        }

        if (state.Position != input.Length)
        {
            value = null!;
            error = new(BencodeErrorKind.TrailingBytes, state.Position);
            return false;
        }

        error = default;
        return true;
    }

    private sealed class State(ReadOnlyMemory<byte> input, BencodeLimits limits)
    {
        private int _values;

        public int Position { get; private set; }

        public bool TryReadValue(int depth, out BValue value, out BencodeError error)
        {
            value = null!;
            if (++_values > limits.MaxValues)
            {
                error = new(BencodeErrorKind.TooManyValues, Position);
                return false;
            }

            var span = input.Span;
            if (Position >= span.Length)
            {
                error = new(BencodeErrorKind.Truncated, Position);
                return false;
            }

            var lead = span[Position];
            switch (lead)
            {
                case (byte)'i':
                    Position++;
                    if (!TryReadInteger((byte)'e', allowNegative: true, out var integer, out error))
                    {
                        return false;
                    }

                    value = BValue.FromInteger(integer);
                    return true;
                case >= (byte)'0' and <= (byte)'9':
                    if (!TryReadString(out var bytes, out error))
                    {
                        return false;
                    }

                    value = BValue.FromBytes(bytes);
                    return true;
                case (byte)'l':
                case (byte)'d':
                    if (depth + 1 > limits.MaxDepth)
                    {
                        error = new(BencodeErrorKind.TooDeep, Position);
                        return false;
                    }

                    Position++;
                    return lead == (byte)'l' ? TryReadList(depth + 1, out value, out error) : TryReadDictionary(depth + 1, out value, out error);
                default:
                    error = new(BencodeErrorKind.UnexpectedByte, Position);
                    return false;
            }
        }

        private bool TryReadList(int depth, out BValue value, out BencodeError error)
        {
            value = null!;
            var items = new List<BValue>();
            while (true)
            {
                if (Position >= input.Length)
                {
                    error = new(BencodeErrorKind.Truncated, Position);
                    return false;
                }

                if (input.Span[Position] == (byte)'e')
                {
                    Position++;
                    value = BValue.FromList(items);
                    error = default;
                    return true;
                }

                if (!TryReadValue(depth, out var item, out error))
                {
                    return false;
                }

                items.Add(item);
            }
        }

        private bool TryReadDictionary(int depth, out BValue value, out BencodeError error)
        {
            value = null!;
            var entries = new List<KeyValuePair<ReadOnlyMemory<byte>, BValue>>();
            while (true)
            {
                if (Position >= input.Length)
                {
                    error = new(BencodeErrorKind.Truncated, Position);
                    return false;
                }

                var lead = input.Span[Position];
                if (lead == (byte)'e')
                {
                    Position++;
                    value = BValue.FromDictionary(entries);
                    error = default;
                    return true;
                }

                if (lead is < (byte)'0' or > (byte)'9')
                {
                    error = new(BencodeErrorKind.KeyNotString, Position);
                    return false;
                }

                if (++_values > limits.MaxValues)
                {
                    error = new(BencodeErrorKind.TooManyValues, Position);
                    return false;
                }

                // BEP 3 asks for sorted keys; Mainline nodes in the wild do not all sort, so order is not enforced.
                if (!TryReadString(out var key, out error) || !TryReadValue(depth, out var item, out error))
                {
                    return false;
                }

                entries.Add(new(key, item));
            }
        }

        private bool TryReadString(out ReadOnlyMemory<byte> bytes, out BencodeError error)
        {
            bytes = default;
            var start = Position;
            if (!TryReadInteger((byte)':', allowNegative: false, out var length, out error))
            {
                error = error with { Kind = BencodeErrorKind.BadLength };
                return false;
            }

            if (length > limits.MaxStringBytes)
            {
                error = new(BencodeErrorKind.StringTooLong, start);
                return false;
            }

            if (length > input.Length - Position)
            {
                error = new(BencodeErrorKind.Truncated, start);
                return false;
            }

            bytes = input.Slice(Position, (int)length);
            Position += (int)length;
            return true;
        }

        // Reads decimal digits up to the terminator. BEP 3: no leading zeros and no negative zero.
        private bool TryReadInteger(byte terminator, bool allowNegative, out long integer, out BencodeError error)
        {
            integer = 0;
            var span = input.Span;
            var start = Position;
            var negative = false;
            if (allowNegative && Position < span.Length && span[Position] == (byte)'-')
            {
                negative = true;
                Position++;
            }

            var digitsStart = Position;
            while (Position < span.Length && span[Position] != terminator)
            {
                var c = span[Position];
                if (c is < (byte)'0' or > (byte)'9' || Position - start >= MaxIntegerChars)
                {
                    error = new(BencodeErrorKind.BadInteger, Position);
                    return false;
                }

                Position++;
            }

            if (Position >= span.Length)
            {
                error = new(BencodeErrorKind.Truncated, Position);
                return false;
            }

            var digits = span[digitsStart..Position];
            if (digits.IsEmpty || (digits.Length > 1 && digits[0] == (byte)'0') || (negative && digits[0] == (byte)'0'))
            {
                error = new(BencodeErrorKind.BadInteger, start);
                return false;
            }

            ulong magnitude = 0;
            foreach (var d in digits)
            {
                var next = (magnitude * 10) + (ulong)(d - '0');
                if (magnitude > ulong.MaxValue / 10 || next < magnitude)
                {
                    error = new(BencodeErrorKind.BadInteger, start);
                    return false;
                }

                magnitude = next;
            }

            if (magnitude > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue))
            {
                error = new(BencodeErrorKind.BadInteger, start);
                return false;
            }

            integer = negative ? (long)(0 - magnitude) : (long)magnitude;
            Position++; // the terminator
            error = default;
            return true;
        }
    }
}
