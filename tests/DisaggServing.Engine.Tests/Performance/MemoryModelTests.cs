using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class MemoryModelTests
{
    private static EngineSpec Spec(ModelSpec model, int tp, int pp = 1, DType dtype = DType.Fp8, GpuSpec? gpu = null) =>
        new() { Model = model, Gpu = gpu ?? GpuCatalog.H100Sxm, TensorParallel = tp, PipelineParallel = pp, WeightDtype = dtype };

    [Fact]
    public void Weights_split_across_tensor_parallel_ranks()
    {
        var tp1 = MemoryModel.Plan(Spec(ModelCatalog.Llama31_8B, 1));
        var tp2 = MemoryModel.Plan(Spec(ModelCatalog.Llama31_8B, 2));
        Assert.Equal(tp1.WeightBytes / 2, tp2.WeightBytes, 1e-6 * tp1.WeightBytes);
        // FP8 checkpoint: ~7B linear params at 1 byte plus BF16 embedding and LM head (2 × 0.525B × 2 bytes).
        Assert.InRange(tp1.WeightBytes / 1e9, 8.9, 9.2);
    }

    [Fact]
    public void Bf16_weights_take_twice_the_linear_bytes_of_fp8()
    {
        var fp8 = MemoryModel.Plan(Spec(ModelCatalog.Llama33_70B, 4, dtype: DType.Fp8));
        var bf16 = MemoryModel.Plan(Spec(ModelCatalog.Llama33_70B, 4, dtype: DType.Bf16));
        Assert.InRange(bf16.WeightBytes / fp8.WeightBytes, 1.9, 2.0);
    }

    [Fact]
    public void Kimi_k2_thinkings_int4_experts_beside_bf16_layers_fit_eight_h200s_as_served()
    {
        var model = ModelCatalog.Get("moonshotai/Kimi-K2-Thinking");
        var plan = MemoryModel.Plan(Spec(model, 8, dtype: DType.Int4, gpu: GpuCatalog.H200Sxm) with { Engine = EngineProfiles.Vllm });
        // Routed experts at INT4's bytes, the other ~12B parameters (attention, shared experts, dense layer, embeddings)
        // at BF16's: about 560 GB over eight GPUs (the checkpoint is 594 GB with its group-32 scales).
        var routed = model.MoeLayers * (double)model.Moe!.RoutedExperts * model.ExpertParams;
        var split = (routed * DType.Int4.Bytes() + (model.TotalParams - routed) * 2) / 8;
        Assert.InRange(plan.WeightBytes, split, 1.05 * split);
        Assert.True(plan.KvBlocks > 0);
        // Costed as all-INT4 (Red Hat's kind of release) the same geometry would weigh about 530 GB.
        var allInt4 = MemoryModel.Plan(Spec(ModelCatalog.KimiK2, 8, dtype: DType.Int4, gpu: GpuCatalog.H200Sxm) with { Engine = EngineProfiles.Vllm });
        Assert.True(allInt4.WeightBytes < 0.97 * plan.WeightBytes);
    }

    [Fact]
    public void Kv_capacity_is_what_utilization_leaves_after_weights_and_activations()
    {
        var spec = Spec(ModelCatalog.Llama33_70B, 2) with { Engine = EngineProfiles.Vllm, KvCacheDtype = DType.Fp8 };
        var plan = MemoryModel.Plan(spec);
        Assert.Equal(GpuCatalog.H100Sxm.HbmBytes * 0.9, plan.UsableBytes, 1.0);
        Assert.Equal(81_920, plan.KvBytesPerToken); // FP8 KV, 8 KV heads over TP=2
        var expectedBlocks = Math.Floor((plan.UsableBytes - plan.WeightBytes - plan.ActivationBytes) / (81_920 * 16));
        Assert.Equal((long)expectedBlocks, plan.KvBlocks);
        var moreUtil = MemoryModel.Plan(spec with { GpuMemoryUtilization = 0.95 });
        Assert.True(moreUtil.KvBlocks > plan.KvBlocks);
    }

    [Theory]
    [InlineData("h100-sxm", 1, 0.834)] // 13,440 MiB reserved: 512 + 1.5 × 8,192 + 2 × 256 + 128
    [InlineData("h100-sxm", 8, 0.817)] // 512 graph slots, 1,024 MiB for eight ranks
    [InlineData("h200-sxm", 1, 0.906)]
    [InlineData("b200", 1, 0.856)] // 16,384-token chunks, 512 graph slots
    [InlineData("a100-40g", 1, 0.830)] // 4,096-token chunks, 32 graph slots, no 10 GiB floor below 60 GiB
    public void Sglang_derives_its_static_memory_fraction_from_the_gpus_memory_chunk_graphs_and_ranks(string gpu, int tp, double fraction)
    {
        var spec = Spec(ModelCatalog.Llama31_8B, tp, dtype: DType.Bf16, gpu: GpuCatalog.Get(gpu)) with { Engine = EngineProfiles.Sglang };
        Assert.Equal(fraction, spec.EffectiveGpuMemoryUtilization, 3);
        // A speculative drafter reserves 2 GiB more; a fraction given is taken as given.
        var drafted = spec with { Speculative = new SpeculativeDecoding(SpeculativeMethod.Eagle3, 3, 2.5) };
        Assert.True(drafted.EffectiveGpuMemoryUtilization < spec.EffectiveGpuMemoryUtilization);
        Assert.Equal(0.7, (spec with { GpuMemoryUtilization = 0.7 }).EffectiveGpuMemoryUtilization);
        // vLLM's and TensorRT-LLM's default stays 0.9.
        Assert.Equal(0.9, (spec with { Engine = EngineProfiles.Vllm }).EffectiveGpuMemoryUtilization);
        Assert.Equal(0.9, (spec with { Engine = EngineProfiles.Trtllm }).EffectiveGpuMemoryUtilization);
    }

    [Theory]
    [InlineData("h100-sxm")]
    [InlineData("a100-40g")]
    public void Sglang_reserves_two_mib_a_slot_of_the_cuda_graphs_it_is_told_to_capture(string gpu)
    {
        var spec = Spec(ModelCatalog.Llama31_8B, 1, dtype: DType.Bf16, gpu: GpuCatalog.Get(gpu)) with { Engine = EngineProfiles.Sglang };
        var defaultSlots = gpu == "h100-sxm" ? spec.EffectiveCudaGraphMaxBatch : 32; // below 60 GiB SGLang's own 32
        var raised = spec with { CudaGraphMaxBatch = 1024 };
        var hbmMiB = spec.Gpu.HbmBytes / (1024d * 1024);
        Assert.Equal(spec.EffectiveGpuMemoryUtilization - (1024 - defaultSlots) * 2 / hbmMiB, raised.EffectiveGpuMemoryUtilization, 3);
    }

    [Theory]
    [InlineData("h100-sxm", 1, 9.5 + 0.5)]
    [InlineData("h100-sxm", 8, 9.5 + 4)]
    [InlineData("h200-sxm", 8, 12 + 4)]
    [InlineData("b200", 8, 32)]
    public void Sglang_before_0_5_3_reserves_by_the_gpus_memory_class_and_its_ranks(string gpu, int tp, double reserveGiB)
    {
        var spec = (Spec(ModelCatalog.Llama31_8B, tp, dtype: DType.Bf16, gpu: GpuCatalog.Get(gpu)) with { Engine = EngineProfiles.Sglang })
            .AsReleased(new EngineRelease(0, 5, 2));
        var gpuMiB = spec.Gpu.HbmBytes / (1024d * 1024);
        Assert.Equal(Math.Round((gpuMiB - reserveGiB * 1024) / gpuMiB, 3), spec.EffectiveGpuMemoryUtilization, 6);
        // 0.5.3 reserves for the step's activations and graphs instead.
        var current = spec with { Release = new EngineRelease(0, 5, 3) };
        Assert.NotEqual(spec.EffectiveGpuMemoryUtilization, current.EffectiveGpuMemoryUtilization);
    }

    [Fact]
    public void Sglang_keeps_less_of_the_gpu_for_a_multimodal_checkpoint_by_its_vision_encoders_size()
    {
        // 0.95 × (1 − 0.1 × (layers × width² ÷ (24 × 1,024²) − 1)), the second factor within 0.8…1.05.
        Assert.Equal(0.910, SglangMemoryFraction.VisionShare(VisionEncoderSpec.So400m), 3);
        Assert.Equal(0.791, SglangMemoryFraction.VisionShare(new VisionEncoderSpec(34, 1408)), 3); // Llama 4's
        Assert.Equal(0.95 * 0.8, SglangMemoryFraction.VisionShare(new VisionEncoderSpec(48, 1664)), 6); // a ViT-bigG, at the floor
        Assert.Equal(0.95, SglangMemoryFraction.VisionShare(new VisionEncoderSpec(24, 1024)), 6); // a ViT-L/14
        var text = Spec(ModelCatalog.Llama31_8B, 1, dtype: DType.Bf16, gpu: GpuCatalog.H200Sxm) with { Engine = EngineProfiles.Sglang };
        var qwen35 = text with { Model = ModelCatalog.Get("Qwen/Qwen3.5-9B") };
        Assert.Equal(text.EffectiveGpuMemoryUtilization * SglangMemoryFraction.VisionShare(VisionEncoderSpec.So400m), qwen35.EffectiveGpuMemoryUtilization, 9);
        // vLLM's default does not change with it.
        Assert.Equal(0.9, (qwen35 with { Engine = EngineProfiles.Vllm }).EffectiveGpuMemoryUtilization);
    }

    [Fact]
    public void Sglangs_static_fraction_covers_weights_and_kv_leaving_a_steps_activations_out()
    {
        var spec = Spec(ModelCatalog.Llama33_70B, 2) with { Engine = EngineProfiles.Sglang, GpuMemoryUtilization = 0.9, KvCacheDtype = DType.Fp8 };
        var sglang = MemoryModel.Plan(spec);
        var vllm = MemoryModel.Plan(spec with { Engine = EngineProfiles.Vllm });
        // The same fraction of the same GPU: vLLM takes its profiled activations out of it, SGLang only the runtime's context.
        Assert.Equal(vllm.UsableBytes, sglang.UsableBytes);
        Assert.Equal(MemoryModel.RuntimeReserveBytes, sglang.ActivationBytes);
        Assert.True(vllm.ActivationBytes > sglang.ActivationBytes);
        Assert.Equal((long)Math.Floor((sglang.UsableBytes - sglang.WeightBytes - MemoryModel.RuntimeReserveBytes) / (sglang.KvBytesPerToken * 16)), sglang.KvBlocks);
    }

    [Fact]
    public void Tensorrt_llm_gives_kv_its_fraction_of_the_memory_left_free_after_loading()
    {
        var spec = Spec(ModelCatalog.Llama33_70B, 2, dtype: DType.Bf16, gpu: GpuCatalog.A100_80G);
        var trt = MemoryModel.Plan(spec with { Engine = EngineProfiles.Trtllm });
        var vllm = MemoryModel.Plan(spec with { Engine = EngineProfiles.Vllm, KvCacheDtype = DType.Bf16 });
        var free = GpuCatalog.A100_80G.HbmBytes - trt.WeightBytes - trt.ActivationBytes;
        Assert.Equal(free * 0.9, trt.UsableBytes - trt.WeightBytes - trt.ActivationBytes, 1.0);
        // 70B BF16 on two 80 GB GPUs: 0.9 of the whole HBM leaves almost nothing once weights are in; 0.9 of what is free leaves several times more.
        Assert.True(trt.KvBlocks > 3 * vllm.KvBlocks, $"TensorRT-LLM {trt.KvBlocks} blocks, vLLM {vllm.KvBlocks}");
    }

    [Fact]
    public void A_tensorrt_engines_sampling_buffers_take_kv_memory_in_proportion_to_its_batch_and_vocabulary()
    {
        // Four float rows of the vocabulary and 64 KiB a sequence slot: 2,048 slots of Llama 3's 128,256 tokens are
        // 4.3 GB a GPU, of which KV loses the free fraction (0.9); a PyTorch-backend engine allocates none of them.
        var spec = Spec(ModelCatalog.Llama33_70B, 2, dtype: DType.Fp8, gpu: GpuCatalog.H100Sxm) with { Engine = EngineProfiles.Trtllm, MaxNumSeqs = 2048 };
        var engine = MemoryModel.Plan(spec with { TensorRtEngine = true });
        var pytorch = MemoryModel.Plan(spec);
        var buffers = 2048 * (16.0 * 128_256 + 65_536);
        Assert.Equal(buffers, MemoryModel.TensorRtDecoderBytes(spec with { TensorRtEngine = true }));
        Assert.Equal(0, MemoryModel.TensorRtDecoderBytes(spec));
        Assert.Equal(0.9 * buffers, pytorch.KvBudgetBytes - engine.KvBudgetBytes, 1e3);
        // At 256 slots an eighth of it.
        var small = MemoryModel.Plan(spec with { TensorRtEngine = true, MaxNumSeqs = 256 });
        Assert.True(small.KvBlocks > engine.KvBlocks);
    }

    [Fact]
    public void Gqa_kv_heads_replicate_when_tp_exceeds_them()
    {
        // Qwen3-235B has 4 KV heads: at TP=8 each rank still stores one whole head.
        var tp4 = MemoryModel.KvBytesPerTokenPerGpu(Spec(ModelCatalog.Qwen3_235B, 4));
        var tp8 = MemoryModel.KvBytesPerTokenPerGpu(Spec(ModelCatalog.Qwen3_235B, 8));
        Assert.Equal(tp4, tp8);
    }

    [Fact]
    public void Mla_latent_is_replicated_on_every_tp_rank_and_split_by_pipeline_stages()
    {
        var tp1 = MemoryModel.KvBytesPerTokenPerGpu(Spec(ModelCatalog.DeepSeekV3, 1, dtype: DType.Bf16));
        var tp8 = MemoryModel.KvBytesPerTokenPerGpu(Spec(ModelCatalog.DeepSeekV3, 8, dtype: DType.Bf16));
        Assert.Equal(70_272, tp1);
        Assert.Equal(tp1, tp8);
        var pp2 = MemoryModel.KvBytesPerTokenPerGpu(Spec(ModelCatalog.DeepSeekV3, 8, pp: 2, dtype: DType.Bf16));
        Assert.Equal(31 * 576 * 2, pp2);
    }

    [Fact]
    public void Glm5_fp8_does_not_fit_one_p5_node_but_fits_two_at_pp2_tp8()
    {
        var oneNode = Spec(ModelCatalog.Glm5Fp8, 8);
        Assert.False(MemoryModel.Plan(oneNode).Fits);
        var error = Assert.Throws<InputException>(() => MemoryModel.RequireFit(oneNode));
        Assert.Contains("GiB per GPU missing", error.Message);
        Assert.Contains("TP=8 PP=2 (16 GPUs)", error.Message);

        var twoNodes = Spec(ModelCatalog.Glm5Fp8, 8, pp: 2) with { GpuMemoryUtilization = 0.92 };
        var plan = MemoryModel.RequireFit(twoNodes);
        Assert.True(plan.Fits);
        Assert.True(plan.KvTokens > 100_000, $"KV tokens {plan.KvTokens}");
    }

    [Fact]
    public void Missing_bytes_are_zero_when_it_fits_and_positive_otherwise()
    {
        Assert.Equal(0, MemoryModel.Plan(Spec(ModelCatalog.Llama31_8B, 1)).MissingBytes);
        var tooBig = MemoryModel.Plan(Spec(ModelCatalog.Llama31_405B, 1, dtype: DType.Bf16));
        Assert.False(tooBig.Fits);
        Assert.True(tooBig.MissingBytes > 700e9);
    }

    [Fact]
    public void Fitting_layouts_prefer_fewest_nodes_then_fewest_stages()
    {
        var layouts = MemoryModel.FittingLayouts(Spec(ModelCatalog.Llama33_70B, 1, dtype: DType.Bf16)).Take(3).ToList();
        Assert.Equal((2, 1), layouts[0]);
        Assert.All(layouts, l => Assert.True(l.Tp * l.Pp >= 2));
    }

    [Theory]
    [InlineData(3, "does not divide the 64 attention heads")]
    [InlineData(0, "--tp must be a positive integer")]
    [InlineData(-2, "--tp must be a positive integer")]
    public void Invalid_tensor_parallel_sizes_name_the_option(int tp, string message)
    {
        var error = Assert.Throws<InputException>(() => Spec(ModelCatalog.Llama33_70B, tp).Validate());
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Other_invalid_options_name_themselves()
    {
        var spec = Spec(ModelCatalog.Llama31_8B, 1);
        Assert.Contains("--max-num-seqs", Assert.Throws<InputException>(() => (spec with { MaxNumSeqs = 0 }).Validate()).Message);
        Assert.Contains("--gpu-memory-utilization", Assert.Throws<InputException>(() => (spec with { GpuMemoryUtilization = 1.5 }).Validate()).Message);
        Assert.Contains("--pp", Assert.Throws<InputException>(() => (spec with { PipelineParallel = 64 }).Validate()).Message);
    }
}
