using System.Globalization;
using System.Text;

namespace Shoal.Simulation.Reporting;

/// <summary>Number formatting for the report CSVs: invariant culture, bounded decimals, no trailing zeros.</summary>
internal static class CsvFields
{
    /// <summary>Times and buffers in seconds: a millisecond is finer than any sample interval.</summary>
    public const string Seconds = "0.###";

    /// <summary>Shares (0..1): six decimals keep 99.9999 % distinguishable from 100 %, which the seeds' 99.9 % needs.</summary>
    public const string Share = "0.######";

    /// <summary>Mbit/s: a kbit/s resolution.</summary>
    public const string Mbps = "0.###";

    /// <summary>Appends a number, or nothing at all for NaN and infinities so a reader sees a missing value, not a fake one.</summary>
    public static StringBuilder Number(this StringBuilder line, double value, string format) =>
        double.IsFinite(value) ? line.Append(value.ToString(format, CultureInfo.InvariantCulture)) : line;

    public static StringBuilder Integer(this StringBuilder line, long value) =>
        line.Append(value.ToString(CultureInfo.InvariantCulture));
}
