namespace Shoal.Simulation.Flow;

/// <summary>Draws a title index (0-based) with probability proportional to 1/(k+1)^s: a VOD catalogue's popularity.</summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int titles, double exponent)
    {
        _cumulative = new double[titles];
        var sum = 0.0;
        for (var k = 0; k < titles; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, exponent);
            _cumulative[k] = sum;
        }
        for (var k = 0; k < titles; k++) _cumulative[k] /= sum;
    }

    public double Probability(int title) => _cumulative[title] - (title == 0 ? 0 : _cumulative[title - 1]);

    public int Draw(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
