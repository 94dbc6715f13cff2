namespace Shoal.Simulation.Tests.Reporting;

/// <summary>Reads back a report CSV: the header and the rows, split on commas (the writers never quote).</summary>
internal sealed record CsvTable(string[] Header, string[][] Rows)
{
    public static CsvTable Read(string path)
    {
        var text = File.ReadAllText(path);
        Assert.EndsWith("\n", text);
        Assert.DoesNotContain("\r", text);
        var lines = text.TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        return new CsvTable(header, rows);
    }

    public string Cell(int row, string column) => Rows[row][Array.IndexOf(Header, column)];
}
