using BenchmarkDotNet.Running;

// `dotnet run -c Release --project benchmarks/Shoal.Benchmarks -- --filter '*'` runs every benchmark.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
