using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class EngineReleaseTests
{
    [Theory]
    [InlineData("0.11.0", 0, 11, 0)]
    [InlineData("v0.13", 0, 13, 0)]
    [InlineData("1.2.0rc1", 1, 2, 0)]
    [InlineData("0.5.6.post1", 0, 5, 6)]
    [InlineData("1.2.0rc0.post1", 1, 2, 0)]
    [InlineData(" V0.9.0 ", 0, 9, 0)]
    public void A_release_reads_as_its_pages_and_pip_spell_it(string text, int major, int minor, int patch) =>
        Assert.Equal(new EngineRelease(major, minor, patch), EngineRelease.Parse(text, "--engine-version"));

    [Theory]
    [InlineData("latest")]
    [InlineData("0")]
    [InlineData("0.11.0.1")]
    [InlineData("")]
    public void Anything_else_is_refused_naming_the_option(string text)
    {
        var error = Assert.Throws<InputException>(() => EngineRelease.Parse(text, "--engine-version"));
        Assert.Contains("--engine-version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Releases_order_by_major_minor_and_patch()
    {
        Assert.True(new EngineRelease(0, 9, 0).Before(0, 11));
        Assert.True(new EngineRelease(0, 11, 0).Before(0, 11, 1));
        Assert.False(new EngineRelease(1, 0, 0).Before(0, 21));
        Assert.Equal("0.13.0", EngineRelease.Parse("v0.13", "x").ToString());
    }

    private static ReleaseDefaults Vllm(string release, GpuSpec gpu, DType weights = DType.Mxfp4) =>
        ReleaseDefaults.For(ServingEngine.Vllm, EngineRelease.Parse(release, "x"), gpu, ModelCatalog.GptOss120B, weights);

    [Fact]
    public void Vllm_ran_v0_before_0_8_and_scheduled_synchronously_before_0_14()
    {
        Assert.Equal((true, true), (Vllm("0.7.2", GpuCatalog.H100Sxm).VllmV0, Vllm("0.7.2", GpuCatalog.H100Sxm).SynchronousScheduling));
        Assert.Equal((false, true), (Vllm("0.13.0", GpuCatalog.H100Sxm).VllmV0, Vllm("0.13.0", GpuCatalog.H100Sxm).SynchronousScheduling));
        Assert.Equal((false, false), (Vllm("0.14.0", GpuCatalog.H100Sxm).VllmV0, Vllm("0.14.0", GpuCatalog.H100Sxm).SynchronousScheduling));
    }

    [Fact]
    public void Vllm_ran_mxfp4_experts_on_hopper_through_marlin_before_0_11_1_only()
    {
        Assert.Equal(MoeBackend.Marlin, Vllm("0.11.0", GpuCatalog.H200Sxm).MoeBackend);
        Assert.Null(Vllm("0.11.1", GpuCatalog.H200Sxm).MoeBackend);
        // A100 runs Marlin whatever the release (the engine's own choice there); Blackwell never did; BF16 experts are not MXFP4.
        Assert.Null(Vllm("0.10.2", GpuCatalog.A100_80G).MoeBackend);
        Assert.Null(Vllm("0.10.2", GpuCatalog.B200).MoeBackend);
        Assert.Null(Vllm("0.10.2", GpuCatalog.H100Sxm, DType.Bf16).MoeBackend);
    }

    [Fact]
    public void Trtllm_ran_tensorrt_engines_before_1_0_and_llama_4_unchunked_before_0_21()
    {
        ReleaseDefaults Trtllm(string release, ModelSpec model) =>
            ReleaseDefaults.For(ServingEngine.Trtllm, EngineRelease.Parse(release, "x"), GpuCatalog.H100Sxm, model, DType.Fp8);
        Assert.True(Trtllm("0.17", ModelCatalog.Llama33_70B).TensorRtEngine);
        Assert.False(Trtllm("1.0", ModelCatalog.Llama33_70B).TensorRtEngine);
        Assert.False(Trtllm("0.20", ModelCatalog.Llama4Maverick).ChunkedAttention);
        Assert.True(Trtllm("0.21", ModelCatalog.Llama4Maverick).ChunkedAttention);
        // Only a model with chunked layers is touched.
        Assert.True(Trtllm("0.20", ModelCatalog.Llama33_70B).ChunkedAttention);
    }

    [Fact]
    public void Nim_1_0_ran_tensorrt_llm_0_10_engines_without_multi_block_mode_and_with_their_own_token_budget_and_later_nims_todays()
    {
        var nim10 = ReleaseDefaults.ForNim(new EngineRelease(1, 0, 3));
        Assert.Equal((true, false, ReleaseDefaults.OlderNimMaxNumTokens), (nim10.TensorRtEngine, nim10.MultiBlockMode, nim10.MaxNumTokens));
        foreach (var later in new EngineRelease?[] { new EngineRelease(1, 1, 0), new EngineRelease(1, 8, 0), null })
            Assert.Equal(ReleaseDefaults.Current with { TensorRtEngine = true }, ReleaseDefaults.ForNim(later));
        // NIM's release is NIM's, not its TensorRT-LLM's: 1.8 still runs TensorRT engines, where TensorRT-LLM 1.8 would not.
        Assert.Equal(nim10, ReleaseDefaults.For(ServingEngine.Trtllm, new EngineRelease(1, 0, 3), GpuCatalog.H100Sxm, ModelCatalog.Llama33_70B, DType.Fp8, nim: true));
        Assert.False(ReleaseDefaults.For(ServingEngine.Trtllm, new EngineRelease(1, 8, 0), GpuCatalog.H100Sxm, ModelCatalog.Llama33_70B, DType.Fp8).TensorRtEngine);
    }

    [Theory]
    [InlineData(1, 15, 0)]
    [InlineData(1, 16, 2)]
    [InlineData(2, 0, 0)]
    public void Nim_1_15_and_later_run_tensorrt_llm_s_pytorch_backend(int major, int minor, int patch)
    {
        Assert.Equal(ReleaseDefaults.Current, ReleaseDefaults.ForNim(new EngineRelease(major, minor, patch)));
        Assert.True(ReleaseDefaults.ForNim(new EngineRelease(1, 14, 1)).TensorRtEngine);
    }

    [Theory]
    [InlineData("nvcr.io/nim/meta/llama3-8b-instruct:1.0.3", "1.0.3")]
    [InlineData("NVCR.IO/nim/meta/llama-3.1-70b-instruct:1.15.0", "1.15.0")]
    [InlineData("nvcr.io/nim/deepseek-ai/deepseek-r1:latest", null)]
    [InlineData("meta/llama3-8b-instruct", null)]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", null)]
    public void A_nim_container_reference_states_its_release_by_its_tag(string model, string? release)
    {
        Assert.Equal(release, ReleaseDefaults.NimRelease(model)?.ToString());
    }

    [Theory]
    [InlineData("EleutherAI/gpt-j-6b", null, true)]
    [InlineData("tiiuae/falcon-180B", "1.2.0", true)]
    [InlineData("meta-llama/Llama-2-7b-hf", null, false)]
    [InlineData("meta-llama/Llama-2-7b-hf", "0.15.0", true)]
    // Nemotron-H's squared-ReLU MLP is not gated either, but the PyTorch backend serves that hybrid (NemotronHForCausalLM).
    [InlineData("nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", null, false)]
    [InlineData("nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", "1.2.0", false)]
    public void Gpt_j_and_falcon_run_as_tensorrt_engines_in_every_tensorrt_llm_release_as_its_pytorch_backend_has_neither(string model, string? release, bool engines)
    {
        var spec = ModelCatalog.Get(model);
        var defaults = ReleaseDefaults.For(ServingEngine.Trtllm, release is null ? null : EngineRelease.Parse(release, "release"), GpuCatalog.H100Sxm, spec, DType.Bf16);
        Assert.Equal(engines, defaults.TensorRtEngine);
        // vLLM serves them as any model.
        Assert.False(ReleaseDefaults.For(ServingEngine.Vllm, null, GpuCatalog.H100Sxm, spec, DType.Bf16).TensorRtEngine);
    }

    [Theory]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct", "1.0.3")]
    [InlineData("meta/llama3-70b-instruct", "1.0.3")]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", null)]
    [InlineData("meta-llama/Meta-Llama-3-8B", null)]
    public void A_model_that_only_nim_1_0_served_is_served_by_its_last_release_when_none_is_given(string model, string? release)
    {
        Assert.Equal(release, ReleaseDefaults.NimServing(ModelCatalog.Get(model))?.ToString());
    }

    [Fact]
    public void A_nim_spec_as_released_takes_its_engines_build_and_keeps_an_unsplit_walk_asked_for()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm, Nim = true };
        var nim10 = spec.AsReleased(new EngineRelease(1, 0, 3));
        Assert.Equal((true, true, ReleaseDefaults.OlderNimMaxNumTokens), (nim10.TensorRtEngine, nim10.UnsplitDecodeAttention, nim10.MaxNumBatchedTokens));
        var nim18 = spec.AsReleased(new EngineRelease(1, 8, 0));
        Assert.Equal((true, false, spec.MaxNumBatchedTokens), (nim18.TensorRtEngine, nim18.UnsplitDecodeAttention, nim18.MaxNumBatchedTokens));
        Assert.True((spec with { UnsplitDecodeAttention = true }).AsReleased(new EngineRelease(1, 8, 0)).UnsplitDecodeAttention);
    }

    [Fact]
    public void No_release_and_sglang_keep_todays_defaults()
    {
        Assert.Equal(ReleaseDefaults.Current, ReleaseDefaults.For(ServingEngine.Vllm, null, GpuCatalog.H100Sxm, ModelCatalog.GptOss120B, DType.Mxfp4));
        // SGLang before 0.5.3 differs only in how it derives its memory fraction.
        Assert.Equal(ReleaseDefaults.Current with { BucketedMemoryFraction = true }, ReleaseDefaults.For(ServingEngine.Sglang, new EngineRelease(0, 4, 0), GpuCatalog.H100Sxm, ModelCatalog.GptOss120B, DType.Mxfp4));
        Assert.Equal(ReleaseDefaults.Current, ReleaseDefaults.For(ServingEngine.Sglang, new EngineRelease(0, 5, 8), GpuCatalog.B200, ModelCatalog.GptOss120B, DType.Mxfp4));
        Assert.Equal(ReleaseDefaults.Current, ReleaseDefaults.For(ServingEngine.Sglang, null, GpuCatalog.B200, ModelCatalog.Qwen3Next80B, DType.Bf16));
    }

    [Theory]
    [InlineData("0.5.3", false, false)]
    [InlineData("0.5.4", true, false)]
    [InlineData("0.5.5", true, false)]
    [InlineData("0.5.6", true, true)]
    [InlineData("0.5.8", true, true)]
    [InlineData("0.5.13", true, true)]
    [InlineData("0.5.14", false, false)]
    [InlineData("0.5.19", false, false)]
    public void Sglang_serves_hybrids_from_its_radix_cache_without_the_overlap_scheduler_from_0_5_4_until_0_5_14(string release, bool gatedDeltaNet, bool mamba2)
    {
        var r = EngineRelease.Parse(release, "--engine-version");
        // Gated DeltaNet hybrids' radix cache came in 0.5.4, Mamba2 hybrids' in 0.5.6; 0.5.14's extra_buffer keeps the overlap.
        Assert.Equal(gatedDeltaNet, ReleaseDefaults.For(ServingEngine.Sglang, r, GpuCatalog.B200, ModelCatalog.Qwen3Next80B, DType.Bf16).SynchronousScheduling);
        Assert.Equal(mamba2, ReleaseDefaults.For(ServingEngine.Sglang, r, GpuCatalog.B200, ModelCatalog.Nemotron3Nano30B, DType.Fp8).SynchronousScheduling);
        // A model without linear-attention layers keeps the overlap in every release.
        Assert.False(ReleaseDefaults.For(ServingEngine.Sglang, r, GpuCatalog.B200, ModelCatalog.GptOss120B, DType.Mxfp4).SynchronousScheduling);
    }

    [Theory]
    [InlineData("0.4.9", SpeculativeMethod.Mtp, true)]
    [InlineData("0.5.6", SpeculativeMethod.Eagle, true)]
    [InlineData("0.5.12", SpeculativeMethod.Eagle3, true)]
    [InlineData("0.5.13", SpeculativeMethod.Mtp, false)]
    [InlineData("0.5.6", null, false)]
    public void Sglang_turns_its_overlap_scheduler_off_for_eagle_and_mtp_drafting_until_spec_v2_became_the_default(string release, SpeculativeMethod? method, bool synchronous)
    {
        var r = EngineRelease.Parse(release, "--engine-version");
        Assert.Equal(synchronous, ReleaseDefaults.For(ServingEngine.Sglang, r, GpuCatalog.B200, ModelCatalog.GptOss120B, DType.Mxfp4, speculative: method).SynchronousScheduling);
        // vLLM keeps async scheduling for its EAGLE and MTP drafters; today's SGLang keeps its overlap too.
        Assert.Equal(r.Before(0, 14), ReleaseDefaults.For(ServingEngine.Vllm, r, GpuCatalog.B200, ModelCatalog.GptOss120B, DType.Mxfp4, speculative: method).SynchronousScheduling);
        Assert.False(ReleaseDefaults.For(ServingEngine.Sglang, null, GpuCatalog.B200, ModelCatalog.GptOss120B, DType.Mxfp4, speculative: method).SynchronousScheduling);
    }

    [Fact]
    public void Sglang_scheduling_synchronously_pays_its_host_step_and_hands_tokens_out_without_waiting_for_the_next_launch()
    {
        var overlapped = new EngineSpec { Model = ModelCatalog.Qwen3Next80B, Gpu = GpuCatalog.B200, TensorParallel = 2, Engine = EngineProfiles.Sglang };
        var synchronous = overlapped.AsReleased(new EngineRelease(0, 5, 8));
        Assert.True(synchronous.SynchronousScheduling);
        Assert.Equal((true, false), (overlapped.HoldsOutputUntilNextLaunch, synchronous.HoldsOutputUntilNextLaunch));
        var shape = new BatchShape();
        shape.Add(1, 1000, true);
        var stepGap = new StepTimeModel(synchronous).Cost(shape).OverheadSeconds - new StepTimeModel(overlapped).Cost(shape).OverheadSeconds;
        Assert.Equal(EngineProfiles.Sglang.SyncSchedulingStepSeconds, stepGap, 9);
        Assert.True(EngineProfiles.Sglang.SyncSchedulingStepSeconds > 0);
    }

    [Fact]
    public void A_spec_as_released_takes_the_release_defaults_and_keeps_tensorrt_engines_asked_for()
    {
        var spec = new EngineSpec { Model = ModelCatalog.GptOss120B, Gpu = GpuCatalog.H200Sxm, TensorParallel = 2, WeightDtype = DType.Mxfp4, Engine = EngineProfiles.Vllm };
        var released = spec.AsReleased(new EngineRelease(0, 7, 2));
        Assert.Equal((true, true, MoeBackend.Marlin, new EngineRelease(0, 7, 2)), (released.VllmV0, released.SynchronousScheduling, released.MoeBackend, released.Release));
        var nim = spec with { Engine = EngineProfiles.Trtllm, TensorRtEngine = true };
        Assert.True(nim.AsReleased(new EngineRelease(1, 2, 0)).TensorRtEngine);
    }
}
