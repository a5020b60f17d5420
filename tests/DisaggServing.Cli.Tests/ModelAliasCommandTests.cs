using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Tests;

public class ModelAliasCommandTests
{
    private static (CliRun Run, FakeEngineRunner Engine) Estimate(string model, string extra = "")
    {
        var engine = new FakeEngineRunner();
        var run = CliRun.Of(engine, CliRun.Args($"estimate --model {model} --gpu h100-sxm --tp 2 --isl 128 --osl 64 --concurrency 4 {extra}"));
        return (run, engine);
    }

    [Fact]
    public void An_alias_runs_the_geometry_of_its_catalogued_model_under_its_own_id()
    {
        var (run, engine) = Estimate("META-LLAMA/Llama-3.1-70B-Instruct");
        Assert.Equal(0, run.ExitCode);
        var model = engine.EstimateOptions!.Engine.Model;
        Assert.Equal("meta-llama/Llama-3.1-70B-Instruct", model.Id);
        Assert.Equal(ModelCatalog.Llama33_70B.Id, model.AliasOf);
        Assert.Equal(ModelCatalog.Llama33_70B.TotalParams, model.TotalParams);
        Assert.Equal(DType.Bf16, engine.EstimateOptions.Engine.WeightDtype);
    }

    [Fact]
    public void A_quantized_checkpoint_implies_its_dtype()
    {
        var (run, engine) = Estimate("nvidia/Llama-3.3-70B-Instruct-FP8");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(DType.Fp8, engine.EstimateOptions!.Engine.WeightDtype);
        var (same, sameEngine) = Estimate("nvidia/Llama-3.3-70B-Instruct-FP8", "--dtype fp8");
        Assert.Equal(0, same.ExitCode);
        Assert.Equal(DType.Fp8, sameEngine.EstimateOptions!.Engine.WeightDtype);
    }

    [Fact]
    public void A_modelopt_checkpoint_runs_vllm_with_the_fp8_kv_it_declares_unless_told_otherwise()
    {
        var (run, engine) = Estimate("nvidia/Llama-3.3-70B-Instruct-FP8");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(DType.Fp8, engine.EstimateOptions!.Engine.EffectiveKvDtype);
        var (told, toldEngine) = Estimate("nvidia/Llama-3.3-70B-Instruct-FP8", "--kv-cache-dtype bf16");
        Assert.Equal(0, told.ExitCode);
        Assert.Equal(DType.Bf16, toldEngine.EstimateOptions!.Engine.EffectiveKvDtype);
        var (redHat, redHatEngine) = Estimate("RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic");
        Assert.Equal(0, redHat.ExitCode);
        Assert.Equal(DType.Bf16, redHatEngine.EstimateOptions!.Engine.EffectiveKvDtype);
    }

    [Fact]
    public void A_dtype_that_contradicts_the_checkpoint_estimates_the_release_in_that_format_and_says_so()
    {
        var (run, engine) = Estimate("nvidia/Llama-3.3-70B-Instruct-FP8", "--dtype bf16");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(("meta-llama/Llama-3.3-70B-Instruct", DType.Bf16), (engine.EstimateOptions!.Engine.Model.Id, engine.EstimateOptions.Engine.WeightDtype));
        Assert.Contains("note: --model nvidia/Llama-3.3-70B-Instruct-FP8 ships in fp8; --dtype bf16 runs meta-llama/Llama-3.3-70B-Instruct", run.Stderr);
        var (fp4, fp4Engine) = Estimate("deepseek-ai/DeepSeek-R1", "--dtype fp4");
        Assert.Equal(0, fp4.ExitCode);
        Assert.Equal("nvidia/DeepSeek-R1-FP4", fp4Engine.EstimateOptions!.Engine.Model.Id);
    }

    [Fact]
    public void A_plan_refuses_a_dtype_that_contradicts_the_checkpoint_as_the_engines_it_deploys_would()
    {
        var run = CliRun.Of(null, CliRun.Args("plan --model nvidia/Llama-3.3-70B-Instruct-FP8 --dtype bf16 --gpus h100-sxm --workload fixed:1000:100 --rate 1 --slo-ttft-ms 1000 --slo-tpot-ms 50"));
        EstimateCommandTests.AssertBadInput(run, "--dtype bf16 conflicts with --model nvidia/Llama-3.3-70B-Instruct-FP8, whose weights ship in fp8");
        Assert.Contains("meta-llama/Llama-3.3-70B-Instruct", run.Stderr);
    }

    [Fact]
    public void An_unknown_model_suggests_the_closest_ids_and_points_to_disagg_models()
    {
        var (run, _) = Estimate("acme/Unreleased-7B");
        EstimateCommandTests.AssertBadInput(run, "Unknown model 'acme/Unreleased-7B' for --model");
        Assert.Contains("Closest: ", run.Stderr);
        Assert.Contains("'disagg models'", run.Stderr);
        var (near, _) = Estimate("google/gemma-3-27b");
        EstimateCommandTests.AssertBadInput(near, "Unknown model 'google/gemma-3-27b'");
        Assert.Contains("google/gemma-3-27b-it", near.Stderr);
    }

    [Fact]
    public void A_gpu_alias_runs_the_canonical_gpu()
    {
        var engine = new FakeEngineRunner();
        var run = CliRun.Of(engine, CliRun.Args("estimate --model meta-llama/Llama-3.1-8B-Instruct --gpu H100 --tp 1 --isl 128 --osl 64 --concurrency 4"));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("h100-sxm", engine.EstimateOptions!.Engine.Gpu.Id);
    }

    [Fact]
    public void An_unmodelled_gpu_is_an_error_naming_the_field_and_the_modelled_ids()
    {
        var run = CliRun.Of(new FakeEngineRunner(), CliRun.Args("estimate --model meta-llama/Llama-3.1-8B-Instruct --gpu h20 --tp 1 --isl 128 --osl 64 --concurrency 4"));
        EstimateCommandTests.AssertBadInput(run, "Unknown GPU 'h20' for --gpu: we do not model that GPU");
        Assert.Contains("a100-80g (a100,", run.Stderr);
    }

    [Fact]
    public void Plan_gpus_take_aliases_and_name_an_unmodelled_part_in_the_error()
    {
        var run = CliRun.Of(new FakeEngineRunner(), CliRun.Args(
            "plan --model meta-llama/Llama-3.3-70B-Instruct --gpus h100,GB200 --workload fixed:256:256 --rate 12 --slo-ttft-ms 2000 --slo-tpot-ms 100"));
        EstimateCommandTests.AssertBadInput(run, "Unknown GPU 'GB200' for --gpus: we do not model that GPU");
        Assert.DoesNotContain("'h100'", run.Stderr);
    }
}
