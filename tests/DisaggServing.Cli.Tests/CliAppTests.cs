using DisaggServing.Engine;

namespace DisaggServing.Cli.Tests;

public class CliAppTests
{
    private const string Estimate = $"estimate --model {Samples.Model} --gpu {Samples.Gpu} --tp 1 --isl 10 --osl 10 --concurrency 2";

    [Fact]
    public void An_input_exception_from_the_engine_exits_2_with_its_message()
    {
        var engine = new FakeEngineRunner { Throw = new InputException("--isl 200000 exceeds the model's context of 131072 tokens; lower --isl.") };
        var run = CliRun.Of(engine, CliRun.Args(Estimate));
        EstimateCommandTests.AssertBadInput(run, "--isl");
        Assert.Equal($"error: {engine.Throw.Message}{Environment.NewLine}", run.Stderr);
    }

    [Fact]
    public void An_unexpected_exception_exits_70_as_internal_without_a_stack_trace()
    {
        var engine = new FakeEngineRunner { Throw = new InvalidOperationException("queue drained twice") };
        var run = CliRun.Of(engine, CliRun.Args(Estimate));
        Assert.Equal(70, run.ExitCode);
        Assert.Equal($"error: internal: queue drained twice{Environment.NewLine}", run.Stderr);
    }

    [Fact]
    public void A_multi_line_message_is_printed_on_one_line()
    {
        var engine = new FakeEngineRunner { Throw = new InputException("first line\nsecond line") };
        var run = CliRun.Of(engine, CliRun.Args(Estimate));
        Assert.Equal($"error: first line second line{Environment.NewLine}", run.Stderr);
    }

    [Theory]
    [InlineData("", "command")]
    [InlineData("benchmark", "benchmark")]
    [InlineData("estimate --model", "--model")]
    public void Parse_errors_exit_2(string commandLine, string named)
    {
        var run = CliRun.Of(new FakeEngineRunner(), CliRun.Args(commandLine));
        EstimateCommandTests.AssertBadInput(run, named);
    }

    [Theory]
    [InlineData("--help", "estimate")]
    [InlineData("estimate --help", "--concurrency")]
    [InlineData("simulate --help", "--find-goodput")]
    [InlineData("bench --help", "--plot")]
    [InlineData("estimate --help", "--engine <vllm|sglang|trtllm|nim>")]
    [InlineData("plan --help", "--engine <vllm|sglang|trtllm|nim>")]
    public void Help_exits_0_on_stdout(string commandLine, string mentions)
    {
        var run = CliRun.Of(new FakeEngineRunner(), CliRun.Args(commandLine));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(mentions, run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void The_public_entry_point_reports_bad_input_before_touching_the_engine()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(CliRun.Args(Estimate.Replace("--tp 1", "--tp 0", StringComparison.Ordinal)), stdout, stderr);
        Assert.Equal(2, code);
        Assert.Equal($"error: --tp must be a positive integer; got 0.{Environment.NewLine}", stderr.ToString());
        Assert.Equal("", stdout.ToString());
    }
}
