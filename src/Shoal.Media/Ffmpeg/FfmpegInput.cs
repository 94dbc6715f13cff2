using System.Text;

namespace Shoal.Media.Ffmpeg;

/// <summary>
/// Turns the INPUT of <c>shoal publish</c> into ffmpeg input arguments:
/// <list type="bullet">
/// <item><c>lavfi:GRAPH</c> → <c>-f lavfi -i GRAPH</c> (ffmpeg's test sources, e.g. <c>lavfi:testsrc2=size=640x360:rate=30</c>);</item>
/// <item>text starting with '-' → passed through as ffmpeg input options split like a shell would
/// (e.g. <c>"-f lavfi -i testsrc2 -f lavfi -i sine"</c>, <c>"-f v4l2 -i /dev/video0"</c>, <c>"-listen 1 -i rtmp://0.0.0.0/live/key"</c>);</item>
/// <item>anything else → <c>-i INPUT</c> (a file, or a URL ffmpeg reads: udp://, srt://, rtmp://, http://).</item>
/// </list>
/// </summary>
public static class FfmpegInput
{
    /// <summary>The ffmpeg arguments for <paramref name="input"/>; false with a reason when it is empty or badly quoted.</summary>
    public static bool TryParse(string input, out IReadOnlyList<string> arguments, out string error)
    {
        arguments = [];
        error = "";
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "the input is empty";
            return false;
        }

        if (input.StartsWith("lavfi:", StringComparison.Ordinal))
        {
            var graph = input["lavfi:".Length..];
            if (graph.Length == 0)
            {
                error = "lavfi: needs a filter graph, e.g. lavfi:testsrc2=size=640x360:rate=30";
                return false;
            }

            arguments = ["-f", "lavfi", "-i", graph];
            return true;
        }

        if (input.StartsWith('-'))
        {
            if (!TrySplit(input, out var parts, out error))
            {
                return false;
            }

            if (!parts.Contains("-i"))
            {
                error = "pass-through input options must contain -i";
                return false;
            }

            arguments = parts;
            return true;
        }

        arguments = ["-i", input];
        return true;
    }

    /// <summary>True when the input is a local file (so it can be read at native rate with -re and probed).</summary>
    public static bool IsFile(string input) => !input.StartsWith('-') && !input.StartsWith("lavfi:", StringComparison.Ordinal) && File.Exists(input);

    private static bool TrySplit(string text, out List<string> parts, out string error)
    {
        parts = [];
        error = "";
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            error = "unterminated quote in the input options";
            return false;
        }

        if (inWord)
        {
            parts.Add(current.ToString());
        }

        return true;
    }
}
