using System.Diagnostics;

namespace Shoal.Simulation.Flow;

/// <summary>
/// A few dedicated threads that run one striped loop with the caller and then sleep: the planning phase of every step
/// is short and frequent, and the thread pool's spinning between such bursts costs more CPU on a 2-core machine than
/// the planning itself. Worker w handles items w, w + Count, w + 2·Count, …
/// </summary>
internal sealed class StripedWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _go;
    private readonly CountdownEvent _done;
    private Action<int>? _work;
    private volatile bool _stopping;
    // Stopwatch ticks: the caller's time inside Run, and each helper's time at work (written by that helper alone).
    private long _sharedTicks;
    private readonly long[] _helperTicks;

    public StripedWorkers(int helpers)
    {
        _threads = new Thread[Math.Max(0, helpers)];
        _go = new SemaphoreSlim[_threads.Length];
        _done = new CountdownEvent(Math.Max(1, _threads.Length));
        _helperTicks = new long[_threads.Length];
        for (var i = 0; i < _threads.Length; i++)
        {
            var worker = i + 1;
            _go[i] = new SemaphoreSlim(0);
            _threads[i] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"flow-plan-{worker}" };
            _threads[i].Start();
        }
    }

    /// <summary>How many share the work: the helpers and the caller.</summary>
    public int Count => _threads.Length + 1;

    /// <summary>Wall time spent in <see cref="Run"/> with helpers to share it: the rest of a caller's time is on one thread.</summary>
    public TimeSpan SharedTime => Stopwatch.GetElapsedTime(0, _sharedTicks);

    /// <summary>What the helpers spent at work, summed over them; read it after <see cref="Dispose"/>.</summary>
    public TimeSpan HelperBusyTime => Stopwatch.GetElapsedTime(0, _helperTicks.Sum());

    /// <summary>Runs <paramref name="work"/>(w) for every worker w, the caller doing w = 0, and returns when all are done.</summary>
    public void Run(Action<int> work)
    {
        if (_threads.Length == 0)
        {
            work(0);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        _work = work;
        _done.Reset(_threads.Length);
        foreach (var go in _go) go.Release();
        work(0);
        _done.Wait();
        _work = null;
        _sharedTicks += Stopwatch.GetTimestamp() - started;
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var go in _go) go.Release();
        foreach (var thread in _threads) thread.Join();
        foreach (var go in _go) go.Dispose();
        _done.Dispose();
    }

    private void Loop(int worker)
    {
        while (true)
        {
            _go[worker - 1].Wait();
            if (_stopping) return;
            var started = Stopwatch.GetTimestamp();
            _work!(worker);
            _helperTicks[worker - 1] += Stopwatch.GetTimestamp() - started;
            _done.Signal();
        }
    }
}
