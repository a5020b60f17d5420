using DisaggServing.Cli.Output;

namespace DisaggServing.Cli.Tests;

public class ProgressDisplayTests
{
    [Fact]
    public void Without_a_terminal_the_work_runs_with_no_progress_sink()
    {
        using var stderr = new StringWriter();
        var context = new CliContext(TextWriter.Null, stderr, new FakeEngineRunner(), ShowProgress: false);
        var sink = ProgressDisplay.Run(context, "working", progress => progress);
        Assert.Null(sink);
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void With_progress_the_work_gets_a_sink_and_its_result_comes_back()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, new FakeEngineRunner(), ShowProgress: true);
        var result = ProgressDisplay.Run(context, "working", progress =>
        {
            Assert.NotNull(progress);
            foreach (var fraction in new[] { 0.0, 0.5, double.NaN, 1.5, 1.0 })
            {
                progress.Report(fraction);
            }

            return 42;
        });
        Assert.Equal(42, result);
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void An_exception_in_the_work_propagates_through_the_bar()
    {
        var context = new CliContext(TextWriter.Null, new StringWriter(), new FakeEngineRunner(), ShowProgress: true);
        Assert.Throws<InvalidOperationException>(() =>
            ProgressDisplay.Run<int>(context, "working", _ => throw new InvalidOperationException("boom")));
    }
}
