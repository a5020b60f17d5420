namespace DisaggServing.Cli.Tests;

public class ContextLengthNoteTests
{
    private const string Engine = "--model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --tp 1 --concurrency 1 --requests 2 --json";

    [Fact]
    public void Requests_longer_than_the_models_context_are_estimated_with_a_note_naming_the_setting_engines_need()
    {
        foreach (var lengths in new[] { "--isl 200000 --osl 10", "--workload uniform:1-131000:1-1000" })
        {
            var run = CliRun.Of(null, CliRun.Args($"estimate {Engine} {lengths}"));
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("exceed meta-llama/Llama-3.1-8B-Instruct's 131,072-token context", run.Stderr);
            Assert.Contains("--max-model-len", run.Stderr);
        }

        var within = CliRun.Of(null, CliRun.Args($"estimate {Engine} --isl 130000 --osl 1000"));
        Assert.Equal(0, within.ExitCode);
        Assert.DoesNotContain("context", within.Stderr);
    }

    [Fact]
    public void A_simulation_of_requests_longer_than_the_models_context_says_so_too()
    {
        var run = CliRun.Of(null, CliRun.Args("simulate --model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --colocated 1:1 --workload fixed:140000:10 --rate 1 --requests 2 --json"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("requests of up to 140,010 tokens (prompt and output) exceed meta-llama/Llama-3.1-8B-Instruct's 131,072-token context", run.Stderr);
    }
}
