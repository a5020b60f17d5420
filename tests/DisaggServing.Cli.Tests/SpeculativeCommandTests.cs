using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Tests;

public class SpeculativeCommandTests
{
    private static (CliRun Run, FakeEngineRunner Engine) Estimate(string model, string extra)
    {
        var engine = new FakeEngineRunner();
        var run = CliRun.Of(engine, CliRun.Args($"estimate --model {model} --gpu b200 --tp 8 --isl 128 --osl 64 --concurrency 4 {extra}"));
        return (run, engine);
    }

    [Fact]
    public void Speculative_decoding_takes_the_engines_own_spellings_of_its_drafter_and_draft_count()
    {
        var (run, engine) = Estimate("deepseek-ai/DeepSeek-R1-0528", "--speculative-algorithm NEXTN --speculative-num-steps 3 --acceptance-length 2.6");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(new SpeculativeDecoding(SpeculativeMethod.Mtp, 3, 2.6), engine.EstimateOptions!.Engine.Speculative);
        var (plain, plainEngine) = Estimate("deepseek-ai/DeepSeek-R1-0528", "");
        Assert.Equal(0, plain.ExitCode);
        Assert.Null(plainEngine.EstimateOptions!.Engine.Speculative);
    }

    [Fact]
    public void A_speculative_flag_without_the_others_names_the_missing_one()
    {
        var (run, _) = Estimate("deepseek-ai/DeepSeek-R1-0528", "--speculative-method mtp --num-speculative-tokens 3");
        EstimateCommandTests.AssertBadInput(run, "--acceptance-length is missing");
    }

    [Fact]
    public void Mtp_on_a_model_without_mtp_layers_and_an_unknown_drafter_are_errors_that_say_what_to_use()
    {
        var (noLayers, _) = Estimate("meta-llama/Llama-3.1-70B-Instruct", "--speculative-method mtp --num-speculative-tokens 1 --acceptance-length 1.7");
        EstimateCommandTests.AssertBadInput(noLayers, "has none. Use eagle, eagle3 or ngram");
        var (unknown, _) = Estimate("meta-llama/Llama-3.1-70B-Instruct", "--speculative-method medusa --num-speculative-tokens 1 --acceptance-length 1.7");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("use mtp, eagle, eagle3 or ngram", unknown.Stderr);
    }

    [Fact]
    public void A_topology_simulation_takes_its_pools_speculation_not_the_flags()
    {
        var run = CliRun.Of(null, CliRun.Args("simulate --topology llama70b-pd --workload fixed:1000:100 --rate 1 --requests 20 --speculative-method ngram --num-speculative-tokens 2 --acceptance-length 1.5"));
        EstimateCommandTests.AssertBadInput(run, "leave out --speculative-method, --num-speculative-tokens, --acceptance-length");
        Assert.Contains("Speculation", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Sglang_with_a_drafter_runs_48_requests_unless_told_as_its_server_resets_them()
    {
        const string Mtp = "--speculative-method mtp --num-speculative-tokens 3 --acceptance-length 3.3";
        var (sglang, sglangEngine) = Estimate("deepseek-ai/DeepSeek-R1-0528", $"--engine sglang {Mtp}");
        Assert.Equal(0, sglang.ExitCode);
        Assert.Equal(48, sglangEngine.EstimateOptions!.Engine.MaxNumSeqs);
        var (told, toldEngine) = Estimate("deepseek-ai/DeepSeek-R1-0528", $"--engine sglang {Mtp} --max-running-requests 128");
        Assert.Equal(0, told.ExitCode);
        Assert.Equal(128, toldEngine.EstimateOptions!.Engine.MaxNumSeqs);
        var (vllm, vllmEngine) = Estimate("deepseek-ai/DeepSeek-R1-0528", $"--engine vllm {Mtp}");
        Assert.Equal(0, vllm.ExitCode);
        Assert.Equal(EngineProfiles.Vllm.DefaultMaxNumSeqs(vllmEngine.EstimateOptions!.Engine.Gpu), vllmEngine.EstimateOptions.Engine.MaxNumSeqs);
    }

    [Theory]
    [InlineData("--engine-version 0.5.6 --speculative-method mtp", true)]
    [InlineData("--engine-version 0.5.12 --speculative-method eagle3", true)]
    [InlineData("--engine-version 0.5.13 --speculative-method mtp", false)]
    [InlineData("--speculative-method mtp", false)]
    [InlineData("--engine-version 0.5.6 --speculative-method mtp --async-scheduling on", false)]
    [InlineData("--engine-version 0.5.6", false)]
    [InlineData("--engine-version 0.5.13 --speculative-method ngram", true)]
    public void Sglang_drafts_without_its_overlap_scheduler_before_0_5_13_made_spec_v2_the_default_and_never_overlaps_ngram(string flags, bool synchronous)
    {
        var (run, engine) = Estimate("deepseek-ai/DeepSeek-R1-0528", $"--engine sglang {flags}{(flags.Contains("--speculative-method", StringComparison.Ordinal) ? " --num-speculative-tokens 3 --acceptance-length 2.4" : "")}");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(synchronous, engine.EstimateOptions!.Engine.SchedulesSynchronously);
    }

    [Theory]
    [InlineData("vllm", "--async-scheduling on: vLLM runs ngram drafting only with synchronous scheduling")]
    [InlineData("sglang", "--async-scheduling on: SGLang runs ngram drafting only without its overlap scheduler")]
    public void Vllm_and_sglang_refuse_async_scheduling_asked_for_with_ngram_drafting_naming_the_flag(string served, string error)
    {
        var ngram = $"--engine {served} --speculative-method ngram --num-speculative-tokens 2 --acceptance-length 1.5";
        var (told, _) = Estimate("meta-llama/Llama-3.1-70B-Instruct", $"{ngram} --async-scheduling on");
        EstimateCommandTests.AssertBadInput(told, error);
        var (plain, engine) = Estimate("meta-llama/Llama-3.1-70B-Instruct", ngram);
        Assert.Equal(0, plain.ExitCode);
        Assert.True(engine.EstimateOptions!.Engine.SchedulesSynchronously);
    }
}
