using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Tests;

public class Mxfp4CommandTests
{
    private static (CliRun Run, FakeEngineRunner Engine) Estimate(string model, string extra = "")
    {
        var engine = new FakeEngineRunner();
        var run = CliRun.Of(engine, CliRun.Args($"estimate --model {model} --gpu h200-sxm --tp 1 --isl 128 --osl 64 --concurrency 4 {extra}"));
        return (run, engine);
    }

    [Fact]
    public void Gpt_oss_runs_in_mxfp4_unless_told_otherwise_and_accepts_it_spelled_out()
    {
        var (run, engine) = Estimate("openai/gpt-oss-20b");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(DType.Mxfp4, engine.EstimateOptions!.Engine.WeightDtype);
        var (same, sameEngine) = Estimate("openai/gpt-oss-20b", "--dtype MXFP4");
        Assert.Equal(0, same.ExitCode);
        Assert.Equal(DType.Mxfp4, sameEngine.EstimateOptions!.Engine.WeightDtype);
    }

    [Fact]
    public void Mxfp4_on_a_dense_model_is_an_error_that_names_the_model_and_the_formats_to_use()
    {
        var (run, _) = Estimate("meta-llama/Llama-3.1-8B-Instruct", "--dtype mxfp4");
        EstimateCommandTests.AssertBadInput(run, "--dtype mxfp4 quantizes MoE experts only; meta-llama/Llama-3.1-8B-Instruct is dense");
        Assert.Contains("fp4, fp8 or bf16", run.Stderr);
    }

    [Fact]
    public void Gpt_oss_asked_in_fp4_is_estimated_in_the_mxfp4_it_ships_in_with_a_note()
    {
        var (run, engine) = Estimate("openai/gpt-oss-120b", "--dtype fp4");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(DType.Mxfp4, engine.EstimateOptions!.Engine.WeightDtype);
        Assert.Contains("note: --model openai/gpt-oss-120b ships in mxfp4; --dtype fp4 runs it as shipped", run.Stderr);
    }
}
