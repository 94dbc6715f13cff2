using BenchmarkDotNet.Running;

namespace Shoal.Benchmarks;

/// <summary>Runs the micro-benchmarks: <c>dotnet run -c Release --project benchmarks/Shoal.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
