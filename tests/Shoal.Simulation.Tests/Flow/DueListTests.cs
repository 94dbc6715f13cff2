using Shoal.Simulation.Flow;

namespace Shoal.Simulation.Tests.Flow;

public sealed class DueListTests
{
    [Fact]
    public void Runs_the_step_in_order_and_fits_an_item_added_meanwhile_among_those_not_yet_run()
    {
        var wheel = new StepWheel<string>(TimeSpan.FromMilliseconds(100));
        wheel.Add(30_000, 1, "a");
        wheel.Add(10_000, 2, "first");
        wheel.Add(90_000, 3, "last");
        wheel.Add(150_000, 4, "next step");
        var due = new DueList<string>();
        due.Load(wheel, 100_000);
        var ran = new List<string>();
        Assert.True(due.TryPeek(out var time, out var tie));
        Assert.Equal((10_000L, 2L), (time, tie));
        ran.Add(due.Take());
        // Added while "first" runs: one due between the two left, one at the same instant as "a" but numbered after it,
        // and one already past (it runs next, as a queue would give it).
        due.Insert(60_000, 5, "between");
        due.Insert(30_000, 6, "tied after a");
        due.Insert(5_000, 7, "past");
        while (due.TryPeek(out _, out _)) ran.Add(due.Take());
        Assert.Equal(["first", "past", "a", "tied after a", "between", "last"], ran);
        due.Load(wheel, 200_000);
        Assert.Equal("next step", due.Take());
        Assert.False(due.TryPeek(out _, out _));
    }
}
