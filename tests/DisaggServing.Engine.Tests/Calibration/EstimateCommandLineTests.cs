using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Calibration;

public class EstimateCommandLineTests
{
    private static string Command(ModelSpec model, DType weights) => EstimateCommandLine.Format(new EstimateOptions
    {
        Engine = new EngineSpec { Model = model, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = weights, MaxNumSeqs = 1024 },
        InputTokens = 128, OutputTokens = 128, Concurrency = 4,
    });

    [Fact]
    public void A_command_names_the_checkpoint_and_leaves_out_the_dtype_it_implies()
    {
        var fp8 = ModelCatalog.Get("nvidia/Llama-3.3-70B-Instruct-FP8");
        var implied = Command(fp8, DType.Fp8);
        Assert.Contains("--model nvidia/Llama-3.3-70B-Instruct-FP8 ", implied);
        Assert.DoesNotContain("--dtype", implied);
        // A BF16 checkpoint quantized on load keeps the flag that says so.
        Assert.Contains("--dtype fp8", Command(ModelCatalog.Llama33_70B, DType.Fp8));
        Assert.DoesNotContain("--dtype", Command(ModelCatalog.Llama33_70B, DType.Bf16));
    }

    [Fact]
    public void Warm_prompts_are_printed_only_when_the_run_starts_with_some_cached()
    {
        var options = new EstimateOptions
        {
            Engine = new EngineSpec { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, MaxNumSeqs = 1024 },
            InputTokens = 128, OutputTokens = 128, Concurrency = 4,
        };
        Assert.DoesNotContain("--warm-prompts", EstimateCommandLine.Format(options));
        Assert.Contains(" --warm-prompts 80", EstimateCommandLine.Format(options with { WarmPrompts = 80 }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_nim_run_says_nims_release_and_only_what_it_ran_otherwise()
    {
        var nim = (new EngineSpec { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, Engine = EngineProfiles.Trtllm, Nim = true })
            .AsReleased(new EngineRelease(1, 0, 3));
        var options = new EstimateOptions { Engine = nim, InputTokens = 200, OutputTokens = 200, Concurrency = 4, Measure = MeasureWindow.FromStart };
        var command = EstimateCommandLine.Format(options);
        Assert.Contains(" --engine nim --engine-version 1.0.3 ", command, StringComparison.Ordinal);
        foreach (var implied in new[] { "--trtllm-backend", "--multi-block-mode", "--max-num-batched-tokens", "--measure" })
            Assert.DoesNotContain(implied, command, StringComparison.Ordinal);
        // NIM 1.0's figures are measured from the load's start; its steady state is a flag.
        Assert.EndsWith(" --measure steady", EstimateCommandLine.Format(options with { Measure = MeasureWindow.Steady }), StringComparison.Ordinal);
        // Multi-block mode turned on where NIM 1.0's engines ran without it is the one setting printed.
        Assert.Contains(" --multi-block-mode on", EstimateCommandLine.Format(options with { Engine = nim with { UnsplitDecodeAttention = false } }), StringComparison.Ordinal);
    }
}
