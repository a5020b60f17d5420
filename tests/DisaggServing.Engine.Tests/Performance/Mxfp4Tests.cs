using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class Mxfp4Tests
{
    private static EngineSpec Spec(ModelSpec model, GpuSpec gpu, DType weights, EngineProfile engine, int tp = 1) => new()
    {
        Model = model, Gpu = gpu, TensorParallel = tp, WeightDtype = weights, Engine = engine,
    };

    private static BatchShape Decodes(int sequences, int context)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, isDecode: true);
        return shape;
    }

    [Fact]
    public void Gpt_oss_ships_mxfp4_which_parses_and_prints_as_mxfp4()
    {
        Assert.Equal(DType.Mxfp4, ModelCatalog.GptOss120B.CheckpointDtype);
        Assert.Equal(DType.Mxfp4, DTypes.Parse("MXFP4"));
        Assert.Equal("mxfp4", DType.Mxfp4.Name());
        Assert.Equal(0.53125, DType.Mxfp4.Bytes());
        Assert.Contains("mxfp4", Assert.Throws<InputException>(() => DTypes.Parse("int2")).Message);
    }

    [Fact]
    public void Mxfp4_weights_put_the_experts_in_half_a_byte_and_a_scale_per_32_and_keep_the_rest_in_bf16()
    {
        var m = ModelCatalog.GptOss120B;
        var routed = m.MoeLayers * (double)m.Moe!.RoutedExperts * m.ExpertParams;
        var expected = (m.TotalParams - m.EmbeddingParams - routed) * 2 + routed * 0.53125 + 2 * m.LmHeadParams * 2;
        var plan = MemoryModel.Plan(Spec(m, GpuCatalog.H200Sxm, DType.Mxfp4, EngineProfiles.Trtllm));
        Assert.Equal(expected, plan.WeightBytes, 0);
        // About 61 GiB: gpt-oss-120b's published checkpoint size on one 80 GB GPU.
        Assert.InRange(plan.WeightBytes / (1 << 30), 60, 64);
    }

    [Fact]
    public void Mxfp4_experts_compute_at_bf16_rate_on_hopper_and_at_the_fp4_rate_on_blackwell()
    {
        Assert.Equal(GpuCatalog.H100Sxm.Bf16Flops, GpuCatalog.H100Sxm.PeakFlops(DType.Mxfp4));
        Assert.Equal(GpuCatalog.B200.Fp4Flops, GpuCatalog.B200.PeakFlops(DType.Mxfp4));
        Assert.Equal(DType.Bf16, DType.Mxfp4.NonExpertWeights());
        Assert.Equal(DType.Fp4, DType.Fp4.NonExpertWeights());
    }

    [Fact]
    public void On_blackwell_the_bf16_layers_of_an_mxfp4_checkpoint_compute_at_bf16_rate_not_the_experts_fp4_rate()
    {
        // Blackwell costs MXFP4 experts as NVFP4 ones, so an MXFP4 and an NVFP4 prefill differ only in the other layers:
        // BF16 in the MXFP4 checkpoint, at least their FLOPs × (1 ÷ BF16 peak − 1 ÷ FP4 peak) slower than NVFP4's.
        var m = ModelCatalog.GptOss120B;
        double Gemms(DType weights)
        {
            var prefill = new BatchShape();
            prefill.Add(8192, 0, isDecode: false);
            return new StepTimeModel(Spec(m, GpuCatalog.B200, weights, EngineProfiles.Vllm), EngineOverheads.None).Cost(prefill).ComputeSeconds;
        }
        var routed = m.MoeLayers * (double)m.Moe!.ExpertsPerToken * m.ExpertParams;
        var denseFlops = 2 * (m.ActiveLayerParamsPerToken - routed) * 8192;
        var b200 = GpuCatalog.B200;
        var atLeast = denseFlops * (1 / b200.Bf16Flops - 1 / b200.Fp4Flops!.Value);
        Assert.True(Gemms(DType.Mxfp4) - Gemms(DType.Fp4) >= atLeast, $"MXFP4 {Gemms(DType.Mxfp4)} s vs NVFP4 {Gemms(DType.Fp4)} s: less than {atLeast} s apart");
    }

    [Fact]
    public void The_mxfp4_moe_kernels_size_their_tile_to_the_rows_each_expert_gets()
    {
        var hopper = Mxfp4MoeKernels.TileRule(GpuCatalog.H200Sxm, DType.Mxfp4, ServingEngine.Trtllm)!.Value;
        Assert.Equal(hopper, Mxfp4MoeKernels.TileRule(GpuCatalog.H200Sxm, DType.Mxfp4, ServingEngine.Vllm));
        Assert.Null(Mxfp4MoeKernels.TileRule(GpuCatalog.B200, DType.Mxfp4, ServingEngine.Trtllm));
        Assert.Equal(Mxfp4MoeKernels.VllmBlackwellTiling, Mxfp4MoeKernels.TileRule(GpuCatalog.B200, DType.Mxfp4, ServingEngine.Sglang));
        Assert.Null(Mxfp4MoeKernels.TileRule(GpuCatalog.H200Sxm, DType.Fp8, ServingEngine.Vllm));
        // 160 decodes over 128 experts top-4: 5 rows an expert, matmul_ogs' smallest block (16).
        Assert.Equal(16, Mxfp4MoeKernels.TileRows(160, 128, 4, hopper));
        Assert.Equal(64, Mxfp4MoeKernels.TileRows(2048, 128, 4, hopper));
        Assert.Equal(128, Mxfp4MoeKernels.TileRows(8192, 128, 4, hopper));
        Assert.Equal(16, Mxfp4MoeKernels.TileRows(1, 128, 4, hopper));
        // An uneven-routing allowance rounds up sooner: 40 rows an expert × 1.3 take 64-row tiles.
        Assert.Equal(64, Mxfp4MoeKernels.TileRows(1280, 128, 4, hopper with { Imbalance = 1.3 }));
    }

    [Fact]
    public void Under_expert_parallelism_matmul_ogs_sizes_its_tile_over_the_ranks_experts_with_every_tokens_k_slots()
    {
        var hopper = Mxfp4MoeKernels.TileRule(GpuCatalog.H100Sxm, DType.Mxfp4, ServingEngine.Trtllm)!.Value;
        Assert.Equal(128, Mxfp4MoeKernels.TileExperts(128, 1));
        Assert.Equal(32, Mxfp4MoeKernels.TileExperts(128, 4));
        // 176 gathered decodes, top-4: 5.5 rows for each of the 128 experts, but 176 × 4 // 32 = 22 over a rank's 32: block_m 32.
        Assert.Equal(16, Mxfp4MoeKernels.TileRows(176, Mxfp4MoeKernels.TileExperts(128, 1), 4, hopper));
        Assert.Equal(32, Mxfp4MoeKernels.TileRows(176, Mxfp4MoeKernels.TileExperts(128, 4), 4, hopper));
    }

    [Fact]
    public void A_hopper_decode_step_of_mxfp4_experts_split_by_expert_parallelism_pays_the_tile_the_kernel_sizes()
    {
        var model = new StepTimeModel(new EngineSpec
        {
            Model = ModelCatalog.GptOss120B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 4, WeightDtype = DType.Mxfp4,
            Engine = EngineProfiles.Trtllm, ExpertParallel = 4, AttentionDataParallel = true,
        }, EngineOverheads.None);
        // 176 and 352 gathered decodes give 22 and 44 rows over a rank's 32 experts: block_m 32 and 64, so twice the
        // sequences cost about twice the routed math (each expert really gets 5.5 and 11 rows: one 16-row tile either way).
        var small = model.Cost(Decodes(176, 16384)).ComputeSeconds;
        var large = model.Cost(Decodes(352, 16384)).ComputeSeconds;
        Assert.InRange(large / small, 1.6, 2.1);
    }

    [Fact]
    public void A_hopper_decode_batch_of_mxfp4_experts_costs_far_less_math_than_fp8_rate_experts_in_128_row_tiles()
    {
        var gpu = GpuCatalog.H200Sxm;
        var mx = new StepTimeModel(Spec(ModelCatalog.GptOss120B, gpu, DType.Mxfp4, EngineProfiles.Trtllm), EngineOverheads.None);
        // The FP8-rate reference: per-tensor FP8 experts (TensorRT-LLM refuses NVFP4 on Hopper), their math at the same
        // peak in the fixed 128-row tile, without the rise with rows and width its CUTLASS grouped GEMM adds.
        var fixedTile = EngineProfiles.Trtllm with { ExpertGemmFollowsWidth = false, TpSplitFp8ExpertHalfRows = 0 };
        var fp8 = new StepTimeModel(Spec(ModelCatalog.GptOss120B, gpu, DType.Fp8, fixedTile), EngineOverheads.None);
        var decode = Decodes(160, 4096);
        // 16-row tiles at half the rate: a quarter of the routed math, less the BF16 attention projections' share.
        Assert.InRange(mx.Cost(decode).ComputeSeconds / fp8.Cost(decode).ComputeSeconds, 0.2, 0.45);
        // A long prefill chunk fills 128-row tiles, and the BF16 rate then makes it slower than the FP8-rate costing.
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        Assert.True(mx.Cost(prefill).ComputeSeconds > fp8.Cost(prefill).ComputeSeconds);
    }

    [Fact]
    public void Mxfp4_applies_to_moe_models_only()
    {
        var error = Assert.Throws<InputException>(() => Spec(ModelCatalog.Llama33_70B, GpuCatalog.H200Sxm, DType.Mxfp4, EngineProfiles.Vllm).Validate());
        Assert.Contains("mxfp4", error.Message);
        Assert.Contains(ModelCatalog.Llama33_70B.Id, error.Message);
        var kv = Spec(ModelCatalog.GptOss20B, GpuCatalog.H200Sxm, DType.Mxfp4, EngineProfiles.Vllm) with { KvCacheDtype = DType.Mxfp4 };
        Assert.Contains("--kv-cache-dtype mxfp4", Assert.Throws<InputException>(() => kv.Validate()).Message);
    }

    [Fact]
    public void Sglang_fuses_gpt_oss_all_reduces_with_their_norms_but_not_other_models_or_attention_dp()
    {
        var sglang = EngineProfiles.Sglang;
        var unfused = sglang with { AllReduceFusionModels = [] };
        var spec = Spec(ModelCatalog.GptOss120B, GpuCatalog.B200, DType.Mxfp4, sglang, tp: 8);
        var one = Decodes(1, 400);
        var fused = new StepTimeModel(spec, EngineOverheads.None).Cost(one);
        var plain = new StepTimeModel(spec with { Engine = unfused }, EngineOverheads.None).Cost(one);
        // 36 layers × 2 all-reduces, each without the 20 µs of a separate add + RMSNorm.
        Assert.Equal(72 * sglang.UnfusedAllReduceSeconds, plain.TpCommSeconds - fused.TpCommSeconds, 9);
        Assert.True(fused.ElementwiseSeconds < plain.ElementwiseSeconds);
        // Qwen3-MoE only from 0.5.7 (DefaultAllReduceFusionTests); GLM-4-MoE not at all.
        Assert.False(sglang.FusesAllReduce(ModelCatalog.Qwen3_235B, GpuCatalog.B200, 8, attentionDataParallel: false, new EngineRelease(0, 5, 6)));
        Assert.False(sglang.FusesAllReduce(ModelCatalog.Get("zai-org/GLM-4.6"), GpuCatalog.B200, 8, attentionDataParallel: false));
        Assert.False(sglang.FusesAllReduce(ModelCatalog.GptOss120B, GpuCatalog.B200, 8, attentionDataParallel: true));
        Assert.False(sglang.FusesAllReduce(ModelCatalog.GptOss120B, GpuCatalog.A100_80G, 8, attentionDataParallel: false));
        Assert.False(EngineProfiles.Vllm.FusesAllReduce(ModelCatalog.GptOss120B, GpuCatalog.B200, 8, attentionDataParallel: false));
    }

    // An eager prompt step of gpt-oss-120b at TP8 on B200, costed with its MXFP4 experts and as an NVFP4 checkpoint
    // (whose MoE the host launches kernel by kernel).
    private static (StepCost Mxfp4, StepCost Nvfp4) EagerB200Prompt(EngineProfile engine, int tokens)
    {
        var spec = Spec(ModelCatalog.GptOss120B, GpuCatalog.B200, DType.Mxfp4, engine, tp: 8);
        var prompt = BatchShape.Of(tokens, 0, isDecode: false);
        return (new StepTimeModel(spec, EngineOverheads.None).Cost(prompt),
            new StepTimeModel(spec with { WeightDtype = DType.Fp4 }, EngineOverheads.None).Cost(prompt));
    }

    [Fact]
    public void An_eager_blackwell_step_launches_the_mxfp4_moe_as_one_call_but_keeps_its_gpu_kernels()
    {
        var (mx, fp4) = EagerB200Prompt(EngineProfiles.Sglang, 332);
        // Six host launches fewer in each of 36 MoE layers at SGLang's 60 µs a launch; the GPU's kernel floor is the same.
        Assert.Equal(36 * 6 * EngineProfiles.Sglang.EagerKernelSeconds, fp4.HostLaunchSeconds - mx.HostLaunchSeconds, 9);
        Assert.Equal(0, Mxfp4MoeKernels.HostLaunchesSaved(GpuCatalog.H200Sxm, DType.Mxfp4, ServingEngine.Sglang));
    }

    [Fact]
    public void Vllms_eager_blackwell_step_keeps_the_mxfp4_moe_layers_host_time()
    {
        // Its per-kernel host time was fitted where the layer's FusedMoE Python dominates, and that Python stays on Blackwell.
        var (mx, fp4) = EagerB200Prompt(EngineProfiles.Vllm, 2048);
        Assert.Equal(fp4.HostLaunchSeconds, mx.HostLaunchSeconds, 12);
        Assert.True(mx.HostLaunchSeconds > 0);
        Assert.Equal(0, Mxfp4MoeKernels.HostLaunchesSaved(GpuCatalog.B200, DType.Mxfp4, ServingEngine.Vllm));
        Assert.Equal(6, Mxfp4MoeKernels.HostLaunchesSaved(GpuCatalog.B200, DType.Mxfp4, ServingEngine.Trtllm));
    }

    [Fact]
    public void Sglang_sets_aside_a_window_pool_while_vllm_and_trtllm_size_the_kv_pool_for_full_layers_alone()
    {
        EngineSpec For(EngineProfile engine) => Spec(ModelCatalog.GptOss120B, GpuCatalog.H200Sxm, DType.Mxfp4, engine) with { KvCacheDtype = DType.Bf16 };
        var allLayers = MemoryModel.KvBytesPerTokenPerGpu(For(EngineProfiles.Vllm));
        Assert.Equal(allLayers / 2, MemoryModel.Plan(For(EngineProfiles.Vllm)).KvBytesPerToken, 6);
        Assert.Equal(allLayers / 2, MemoryModel.Plan(For(EngineProfiles.Trtllm)).KvBytesPerToken, 6);
        // 18 full layers + 0.8 × 18 window layers of 36.
        Assert.Equal(allLayers * 0.9, MemoryModel.Plan(For(EngineProfiles.Sglang)).KvBytesPerToken, 6);
    }
}
